using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>
/// A grant's "you're subscribed" text, promised in the grant's own transaction (ADR 0030): one narrow row keyed by the
/// grant's sequence, which only ever appends at the end of one b-tree. The <see cref="TextDispatcher"/> moves it into
/// <see cref="QueuedText"/> (with its indexes and retry state) before sending, off the append's commit (ADR 0040).
/// </summary>
public sealed class PendingConfirmation
{
    public long GrantSequence { get; init; }

    public string ToE164 { get; init; } = string.Empty;

    public Purpose Purpose { get; init; }

    public int ConsentTextId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The queued text this promise becomes: written when sent, in the consent text's language, with a fresh link.</summary>
    public QueuedText ToQueuedText() => QueuedText.Confirmation(GrantSequence, ToE164, Purpose, ConsentTextId, CreatedAt);
}
