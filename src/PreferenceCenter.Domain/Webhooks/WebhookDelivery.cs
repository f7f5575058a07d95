namespace PreferenceCenter.Domain.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (or, paused subscribers, for the subscriber to be resumed).</summary>
    Pending = 0,

    Delivered = 1,

    /// <summary>Every attempt failed; an admin can retry it from the sync status page.</summary>
    DeadLettered = 2,
}

/// <summary>
/// One consent event on its way to one subscriber: its attempts, the next one's time and how the last one went.
/// Rows stay after delivery; they are the subscriber's sync history.
/// </summary>
public sealed class WebhookDelivery
{
    /// <summary>What is kept of a receiver's answer or of a network error: enough to diagnose, never a whole page.</summary>
    public const int MaxErrorLength = 500;

    private WebhookDelivery()
    {
    }

    public long Id { get; private init; }

    public Guid SubscriberId { get; private init; }

    /// <summary>The consent event's place in the ledger.</summary>
    public long Sequence { get; private init; }

    /// <summary>Deliveries of one customer's events to one subscriber go out in sequence order.</summary>
    public Guid CustomerId { get; private init; }

    public WebhookDeliveryStatus Status { get; private set; }

    /// <summary>Attempts since it was (re)queued.</summary>
    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>Until when a dispatcher owns the delivery; another may take it over only after that.</summary>
    public DateTimeOffset? LeaseUntil { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    /// <summary>The receiver's HTTP status; null when there was no answer (timeout, refused connection).</summary>
    public int? LastStatusCode { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The last time it was delivered; kept when a replay queues it again.</summary>
    public DateTimeOffset? DeliveredAt { get; private set; }

    public DateTimeOffset? DeadLetteredAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private init; }

    public static WebhookDelivery Queue(Guid subscriberId, long sequence, Guid customerId, DateTimeOffset now) => new()
    {
        SubscriberId = subscriberId,
        Sequence = sequence,
        CustomerId = customerId,
        Status = WebhookDeliveryStatus.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
    };

    public void Succeeded(DateTimeOffset now, int statusCode)
    {
        Attempts++;
        Status = WebhookDeliveryStatus.Delivered;
        LastAttemptAt = DeliveredAt = now;
        LastStatusCode = statusCode;
        LastError = null;
        ReleaseLease();
    }

    /// <summary>Schedules the next attempt after <paramref name="retryDelay"/>, or dead-letters after the last one.</summary>
    public void Failed(DateTimeOffset now, int? statusCode, string error, int maxAttempts, TimeSpan retryDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        Attempts++;
        LastAttemptAt = now;
        LastStatusCode = statusCode;
        LastError = Excerpt(error);
        if (Attempts >= maxAttempts)
        {
            Status = WebhookDeliveryStatus.DeadLettered;
            DeadLetteredAt = now;
        }
        else
        {
            NextAttemptAt = now + retryDelay;
        }

        ReleaseLease();
    }

    public static string Excerpt(string? text)
    {
        var oneLine = string.Join(' ', (text ?? string.Empty).Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return oneLine.Length <= MaxErrorLength ? oneLine : string.Concat(oneLine.AsSpan(0, MaxErrorLength - 1), "…");
    }

    private void ReleaseLease()
    {
        LeaseUntil = null;
        LeaseOwner = null;
    }
}

/// <summary>Exponential backoff with jitter: the wait before the next attempt after <c>n</c> failed ones.</summary>
public static class WebhookBackoff
{
    /// <summary>Each wait is this fraction above or below the exponential step, so failed receivers are not hit in waves.</summary>
    public const double Jitter = 0.2;

    /// <param name="failedAttempts">Failed attempts so far (1 after the first).</param>
    /// <param name="initial">The wait after the first failure.</param>
    /// <param name="max">The longest wait before jitter.</param>
    /// <param name="sample">A uniform random number in [0, 1).</param>
    public static TimeSpan Delay(int failedAttempts, TimeSpan initial, TimeSpan max, double sample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var exponent = Math.Min(failedAttempts - 1, 40);
        var step = Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(step * (1 - Jitter + (2 * Jitter * Math.Clamp(sample, 0, 1))));
    }

    /// <summary>The whole schedule without jitter, e.g. for the documentation or the admin page.</summary>
    public static IReadOnlyList<TimeSpan> Schedule(int maxAttempts, TimeSpan initial, TimeSpan max) =>
        Enumerable.Range(1, Math.Max(maxAttempts - 1, 0)).Select(n => Delay(n, initial, max, 0.5)).ToList();
}
