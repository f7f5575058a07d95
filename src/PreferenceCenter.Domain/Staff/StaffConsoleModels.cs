using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.Staff;

public sealed record CustomerSearchResult(Guid CustomerId, string? Email, string? CurrentPhoneE164, DateTimeOffset CreatedAt);

public sealed record CustomerSearchPage(IReadOnlyList<CustomerSearchResult> Items, int TotalItems, string? Problem = null);

public enum TimelineKind
{
    Granted,
    Revoked,
    CodeSent,
    NumberVerified,
    NumberReplaced,
    TextShown,
}

/// <summary>One thing that happened to a customer, as the agent's timeline shows it.</summary>
public sealed record TimelineEntry(
    DateTimeOffset At,
    TimelineKind Kind,
    Purpose? Purpose,
    string? PhoneE164,
    string? Method,
    string? Actor,
    string? IpAddress,
    string? UserAgent,
    int? ConsentTextId,
    string? Reason,
    long? Sequence)
{
    public DateTimeOffset? RecordedAt { get; init; }

    public string? Locale { get; init; }

    public string? Origin { get; init; }

    public string? TextSha256 { get; init; }

    public string? Hash { get; init; }
}

/// <summary>A number of the customer; <paramref name="Imported"/>: from another system's records, never verified here.</summary>
public sealed record CustomerPhoneHistory(string PhoneE164, DateTimeOffset VerifiedAt, DateTimeOffset? ReplacedAt, bool Imported = false);

public sealed record CustomerDetail(
    Guid CustomerId,
    string? Email,
    DateTimeOffset CreatedAt,
    IReadOnlyList<CustomerPhoneHistory> Phones,
    IReadOnlyList<ConsentStateView> States,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyDictionary<int, ConsentText> Texts);

/// <summary>How the customer asked an agent to stop.</summary>
public enum RevocationChannel
{
    PhoneCall,
    Email,
    Letter,
    InPerson,
}

public sealed record DailyChange(DateOnly Day, Purpose Purpose, ConsentAction Action, int Count);

public sealed record ConsentActivity(IReadOnlyList<DailyChange> Daily, IReadOnlyDictionary<string, int> TotalsByMethod);

public sealed record AccessLogQuery(string? StaffEmail, Guid? CustomerId, string? Action, int Page, int PageSize);

public sealed record AccessLogPage(IReadOnlyList<AccessRecord> Items, int TotalItems);

/// <summary>What staff can see and do in the staff console. Every read of customer data writes an <see cref="AccessRecord"/>.</summary>
public interface IStaffConsole
{
    /// <summary>Finds customers by a phone number in any format, an email, or a customer id; one page at a time.</summary>
    Task<CustomerSearchPage> SearchAsync(string? query, int page, int pageSize, StaffMember staff, CancellationToken cancellationToken = default);

    Task<Guid?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    Task<CustomerDetail?> ViewCustomerAsync(Guid customerId, StaffMember staff, CancellationToken cancellationToken = default);

    Task<CustomerDetail?> ExportCustomerAsync(Guid customerId, StaffMember staff, CancellationToken cancellationToken = default);

    /// <summary>Revokes one purpose (or all when null) on the customer's behalf. Agents can never grant.</summary>
    Task<IReadOnlyList<ConsentChangeResult>> RevokeOnBehalfAsync(Guid customerId, Purpose? purpose, RevocationChannel channel, string reason, StaffMember staff, CancellationToken cancellationToken = default);

    Task<ConsentActivity> GetActivityAsync(int days, CancellationToken cancellationToken = default);

    Task<AccessLogPage> GetAccessLogAsync(AccessLogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Days on which staff looked at this customer's record (no staff names: that is for admins).</summary>
    Task<IReadOnlyList<DateTimeOffset>> GetStaffViewsAsync(Guid customerId, CancellationToken cancellationToken = default);
}

public static class RevocationChannels
{
    public static string Label(this RevocationChannel channel) => channel switch
    {
        RevocationChannel.PhoneCall => "phone call",
        RevocationChannel.Email => "email",
        RevocationChannel.Letter => "letter",
        RevocationChannel.InPerson => "in person",
        _ => channel.ToString(),
    };
}
