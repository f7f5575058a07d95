using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Domain.Consents;

/// <summary>A reason to text someone. Each is consented to separately; what differs between them is in <see cref="Purposes.Catalog"/>.</summary>
public enum Purpose
{
    /// <summary>Transactional texts about the customer's account.</summary>
    AccountAlerts = 1,

    /// <summary>Marketing texts.</summary>
    Promotions = 2,
}

/// <summary>
/// What the app needs to know about a purpose, in one place: code asks the definition, never compares with a
/// particular purpose.
/// </summary>
/// <param name="Purpose">The key stored in the ledger.</param>
/// <param name="DisplayName">The staff pages' English name.</param>
/// <param name="Order">Position on the customer's page.</param>
/// <param name="LapsesWhenNotReconfirmed">
/// Whether a material change may set a deadline after which consents nobody re-confirmed are withdrawn. Account alerts
/// never lapse: losing them could hide a security warning (ADR 0016).
/// </param>
/// <param name="TextKind">How the provider is told to treat its texts.</param>
public sealed record PurposeDefinition(Purpose Purpose, string DisplayName, int Order, bool LapsesWhenNotReconfirmed, SmsKind TextKind)
{
    /// <summary>The resource name of its lower-case phrase in texts ("promotional texts").</summary>
    public string PhraseKey => $"Purpose{Purpose}";
}

public static class Purposes
{
    public static IReadOnlyList<PurposeDefinition> Catalog { get; } =
    [
        new(Purpose.AccountAlerts, "Account alerts", 1, LapsesWhenNotReconfirmed: false, SmsKind.AccountAlert),
        new(Purpose.Promotions, "Promotions", 2, LapsesWhenNotReconfirmed: true, SmsKind.Promotion),
    ];

    public static IReadOnlyList<Purpose> All { get; } = [.. Catalog.OrderBy(d => d.Order).Select(d => d.Purpose)];

    public static PurposeDefinition Definition(this Purpose purpose) =>
        Catalog.FirstOrDefault(d => d.Purpose == purpose) ?? throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Not a purpose in the catalogue.");

    public static string DisplayName(this Purpose purpose) => Catalog.FirstOrDefault(d => d.Purpose == purpose)?.DisplayName ?? purpose.ToString();

    public static bool Lapses(this Purpose purpose) => purpose.Definition().LapsesWhenNotReconfirmed;

    public static IEnumerable<Purpose> ThatLapse => All.Where(Lapses);
}
