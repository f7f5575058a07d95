namespace PreferenceCenter.Domain.Consents;

/// <summary>A closed set of reasons to text someone. Each is consented to separately.</summary>
public enum Purpose
{
    /// <summary>Transactional texts about the customer's account.</summary>
    AccountAlerts = 1,

    /// <summary>Marketing texts.</summary>
    Promotions = 2,
}

public static class Purposes
{
    public static IReadOnlyList<Purpose> All { get; } = [Purpose.AccountAlerts, Purpose.Promotions];

    public static string DisplayName(this Purpose purpose) => purpose switch
    {
        Purpose.AccountAlerts => "Account alerts",
        Purpose.Promotions => "Promotions",
        _ => purpose.ToString(),
    };
}
