using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Webhooks;

/// <summary>
/// The transactional outbox: one row per consent event, written in the event's own transaction, so a change cannot
/// commit without it nor it without the change. The dispatcher turns it into one delivery per matching subscriber and
/// deletes it (ADR 0011).
/// </summary>
public sealed class WebhookOutboxEntry
{
    public long Sequence { get; init; }

    public Guid CustomerId { get; init; }

    public Purpose Purpose { get; init; }

    public ConsentAction Action { get; init; }
}
