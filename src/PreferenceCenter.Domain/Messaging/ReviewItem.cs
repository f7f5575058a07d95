namespace PreferenceCenter.Domain.Messaging;

/// <summary>An inbound text that reads like "stop texting me" without being a keyword: a person decides.</summary>
public sealed class ReviewItem
{
    private ReviewItem()
    {
        FromE164 = string.Empty;
        Body = string.Empty;
    }

    public long Id { get; private init; }

    public long InboundSmsId { get; private init; }

    public string FromE164 { get; private init; }

    public string Body { get; private init; }

    /// <summary>The customer whose verified number sent it, when there is one.</summary>
    public Guid? CustomerId { get; private init; }

    public DateTimeOffset CreatedAt { get; private init; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    public string? ResolvedBy { get; private set; }

    /// <summary>"revoked" or "dismissed", with the agent's reason.</summary>
    public string? Resolution { get; private set; }

    public static ReviewItem Open(InboundSms message, Guid? customerId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new() { InboundSmsId = message.Id, FromE164 = message.FromE164, Body = message.Body, CustomerId = customerId, CreatedAt = now };
    }

    public void Resolve(string by, string resolution, DateTimeOffset now)
    {
        if (ResolvedAt is not null)
        {
            throw new InvalidOperationException("This item was already resolved.");
        }

        ResolvedAt = now;
        ResolvedBy = by;
        Resolution = resolution.Length > 300 ? resolution[..300] : resolution;
    }
}
