using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Infrastructure.Messaging;

public enum QueuedTextStatus
{
    Pending,
    Sent,

    /// <summary>A purpose text whose consent was gone (or the number suppressed) by the time it was due: not sent.</summary>
    Refused,

    /// <summary>Every attempt failed; logged, left for an operator.</summary>
    Failed,
}

/// <summary>
/// A text the app has promised to send, written in the transaction of the change that causes it (a keyword reply
/// with its STOP, a confirmation with its grant), so a commit cannot lose it; the <see cref="TextDispatcher"/>
/// sends it and retries with backoff (ADR 0030). Not the development fake phone (<see cref="SmsOutboxMessage"/>).
/// </summary>
public sealed class QueuedText
{
    public const int ErrorLength = 200;

    public long Id { get; private init; }

    public string ToE164 { get; private set; } = string.Empty;

    /// <summary>The number a keyword reply answers from; null for purpose texts (sent from the purpose's number).</summary>
    public string? FromE164 { get; private init; }

    /// <summary>Set for purpose texts: consent and suppression are checked again when it is sent.</summary>
    public Purpose? Purpose { get; private init; }

    public SmsKind Kind { get; private init; }

    /// <summary>Null for a grant confirmation: it is written when sent, with a fresh manage link.</summary>
    public string? Body { get; private init; }

    /// <summary>The consent text agreed to: a grant confirmation speaks its language and names its label.</summary>
    public int? ConsentTextId { get; private init; }

    /// <summary>The grant a confirmation confirms; unique, so a grant never gets two.</summary>
    public long? GrantSequence { get; private init; }

    public DateTimeOffset CreatedAt { get; private init; }

    public QueuedTextStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    /// <summary>A category (exception type, provider status), never the provider's text, which may echo the number or body.</summary>
    public string? LastError { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseUntil { get; private set; }

    public static QueuedText Reply(string toE164, string fromE164, string body, DateTimeOffset now) => new()
    {
        ToE164 = toE164,
        FromE164 = fromE164,
        Kind = SmsKind.Confirmation,
        Body = body,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>A grant's confirmation: no body until it is sent (ADR 0030); unique per grant.</summary>
    public static QueuedText Confirmation(long grantSequence, string toE164, Purpose purpose, int consentTextId, DateTimeOffset createdAt) => new()
    {
        ToE164 = toE164,
        Purpose = purpose,
        Kind = SmsKind.Confirmation,
        ConsentTextId = consentTextId,
        GrantSequence = grantSequence,
        CreatedAt = createdAt,
        NextAttemptAt = createdAt,
    };

    /// <summary>A double opt-in request (ADR 0034): from the purpose's number, or the provider's default when it has none.</summary>
    public static QueuedText OptInRequest(string toE164, string? fromE164, string body, DateTimeOffset now) => new()
    {
        ToE164 = toE164,
        FromE164 = string.IsNullOrEmpty(fromE164) ? null : fromE164,
        Kind = SmsKind.Confirmation,
        Body = body,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    public void Sent(DateTimeOffset now)
    {
        Status = QueuedTextStatus.Sent;
        SentAt = now;
        Attempts++;
        LastError = null;
        Release();
    }

    public void Refused(DateTimeOffset now)
    {
        Status = QueuedTextStatus.Refused;
        SentAt = null;
        NextAttemptAt = now;
        Release();
    }

    public void AttemptFailed(DateTimeOffset now, string error, int maxAttempts, TimeSpan retryAfter)
    {
        Attempts++;
        LastError = error.Length > ErrorLength ? error[..ErrorLength] : error;
        Status = Attempts >= maxAttempts ? QueuedTextStatus.Failed : QueuedTextStatus.Pending;
        NextAttemptAt = now + retryAfter;
        Release();
    }

    private void Release()
    {
        LeaseOwner = null;
        LeaseUntil = null;
    }
}
