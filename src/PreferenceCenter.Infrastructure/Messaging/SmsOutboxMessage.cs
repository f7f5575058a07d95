using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>A text the Development sender "sent": kept in the database and shown at /dev/sms.</summary>
public sealed class SmsOutboxMessage
{
    public long Id { get; init; }

    public required string ToE164 { get; init; }

    public required string Body { get; init; }

    public SmsKind Kind { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
