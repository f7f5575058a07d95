namespace PreferenceCenter.Domain.Staff;

/// <summary>What a staff member looked at, and when. Append-only: agents cannot change or delete it.</summary>
public sealed class AccessRecord
{
    private AccessRecord()
    {
        StaffUserId = string.Empty;
        StaffEmail = string.Empty;
        Action = string.Empty;
    }

    public long Id { get; private init; }

    public string StaffUserId { get; private init; }

    public string StaffEmail { get; private init; }

    /// <summary>The customer whose data was seen; null for a search that matched nobody.</summary>
    public Guid? CustomerId { get; private init; }

    /// <summary>One of <see cref="AccessActions"/>.</summary>
    public string Action { get; private init; }

    /// <summary>What was asked (search terms are masked when they are phone numbers).</summary>
    public string? Detail { get; private init; }

    public DateTimeOffset At { get; private init; }

    public string? IpAddress { get; private init; }

    public static AccessRecord Create(StaffMember staff, string action, Guid? customerId, string? detail, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(staff);
        return new AccessRecord
        {
            StaffUserId = staff.UserId,
            StaffEmail = staff.Email,
            Action = action,
            CustomerId = customerId,
            Detail = detail is { Length: > 200 } ? detail[..200] : detail,
            At = at,
            IpAddress = staff.IpAddress,
        };
    }
}

public static class AccessActions
{
    public const string Search = "search";
    public const string View = "view";
    public const string Export = "export";
    public const string Revoke = "revoke";

    public static IReadOnlyList<string> All { get; } = [Search, View, Export, Revoke];
}

/// <summary>The signed-in staff member doing something, for audit and as the actor of agent events.</summary>
public sealed record StaffMember(string UserId, string Email, string? IpAddress)
{
    public string Actor => $"agent:{UserId}";
}
