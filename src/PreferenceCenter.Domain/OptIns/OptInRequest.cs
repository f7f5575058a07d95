using System.Security.Cryptography;
using System.Text;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.OptIns;

/// <summary>Where a request stands; <see cref="Expired"/> is never stored, it is an open request past its time.</summary>
public enum OptInRequestStatus
{
    Open,
    Confirmed,
    Expired,
    Cancelled,
}

/// <summary>
/// A confirmation request texted to a number (double opt-in): a keyword from the number itself, or a till, an agent or
/// another system asking on the customer's behalf. Only the customer's YES from that number grants, within the
/// request's time; the request keeps who asked, from where, the exact text sent and the exact reply, which the grant's
/// evidence hashes (<see cref="EvidenceSha256"/>).
/// </summary>
public sealed class OptInRequest
{
    public const int SourceLength = 80;
    public const int TextLength = 480;
    public const int MessageSidLength = 64;

    private OptInRequest()
    {
    }

    public long Id { get; private init; }

    public string PhoneE164 { get; private set; } = string.Empty;

    public Purpose Purpose { get; private init; }

    /// <summary>The language of the request and of everything texted about it.</summary>
    public string Language { get; private init; } = "en";

    /// <summary>Where the number was collected: <c>keyword:JOIN</c>, <c>store:042</c>, <c>agent</c>, an integration's source.</summary>
    public string Source { get; private init; } = string.Empty;

    /// <summary>Who asked: the customer by text, an agent's email, an integration's actor.</summary>
    public string RequestedBy { get; private init; } = string.Empty;

    public string? RequestedFromIp { get; private set; }

    /// <summary>The keyword text that started it (null when a till, an agent or a system asked).</summary>
    public string? KeywordText { get; private set; }

    public string? KeywordMessageSid { get; private init; }

    /// <summary>The exact confirmation request texted to the number.</summary>
    public string RequestText { get; private set; } = string.Empty;

    public string FromE164 { get; private init; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private init; }

    public DateTimeOffset ExpiresAt { get; private init; }

    /// <summary>Open, Confirmed or Cancelled; an open request past <see cref="ExpiresAt"/> reads as Expired (<see cref="StatusAt"/>).</summary>
    public OptInRequestStatus Status { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>The exact reply that confirmed it, or why it was cancelled.</summary>
    public string? ReplyText { get; private set; }

    public string? ReplyMessageSid { get; private set; }

    public Guid? CustomerId { get; private set; }

    /// <summary>The grant it led to.</summary>
    public long? ConsentEventSequence { get; private set; }

    /// <summary>Set once a late YES was told the request had expired, so a second late YES gets no second text.</summary>
    public DateTimeOffset? ExpiryNoticeAt { get; private set; }

    public static OptInRequest Create(
        string phoneE164,
        string fromE164,
        Purpose purpose,
        string language,
        string source,
        string requestedBy,
        string? requestedFromIp,
        string requestText,
        string? keywordText,
        string? keywordMessageSid,
        DateTimeOffset now,
        TimeSpan confirmWithin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneE164);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestText);
        return new OptInRequest
        {
            PhoneE164 = phoneE164,
            FromE164 = fromE164,
            Purpose = purpose,
            Language = language,
            Source = source,
            RequestedBy = requestedBy,
            RequestedFromIp = requestedFromIp,
            RequestText = requestText,
            KeywordText = keywordText,
            KeywordMessageSid = keywordMessageSid,
            CreatedAt = now,
            ExpiresAt = now + confirmWithin,
            Status = OptInRequestStatus.Open,
        };
    }

    public OptInRequestStatus StatusAt(DateTimeOffset now) =>
        Status == OptInRequestStatus.Open && now >= ExpiresAt ? OptInRequestStatus.Expired : Status;

    public bool IsOpenAt(DateTimeOffset now) => StatusAt(now) == OptInRequestStatus.Open;

    /// <summary>
    /// SHA-256 (hex) of exactly what was sent and what came back, with both message ids: the grant's evidence carries it,
    /// so the texts kept here can be checked against the sealed event.
    /// </summary>
    public static string EvidenceSha256(string requestText, string replyText, string? keywordMessageSid, string replyMessageSid)
    {
        var canonical = $"sent:{requestText}\nreceived:{replyText}\nkeyword-sid:{keywordMessageSid}\nreply-sid:{replyMessageSid}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The YES (or SÍ) that grants: the customer now holding the number, and the grant it led to.</summary>
    public void Confirm(string replyText, string replyMessageSid, Guid customerId, long? grantSequence, DateTimeOffset now)
    {
        if (!IsOpenAt(now))
        {
            throw new InvalidOperationException("Only an open request can be confirmed.");
        }

        Status = OptInRequestStatus.Confirmed;
        ResolvedAt = now;
        ReplyText = replyText;
        ReplyMessageSid = replyMessageSid;
        CustomerId = customerId;
        ConsentEventSequence = grantSequence;
    }

    public void Cancel(string reason, DateTimeOffset now)
    {
        if (Status != OptInRequestStatus.Open)
        {
            return;
        }

        Status = OptInRequestStatus.Cancelled;
        ResolvedAt = now;
        ReplyText = reason;
    }

    public void NoticeExpiry(DateTimeOffset now) => ExpiryNoticeAt = now;
}
