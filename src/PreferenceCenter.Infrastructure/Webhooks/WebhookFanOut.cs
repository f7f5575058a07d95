namespace PreferenceCenter.Infrastructure.Webhooks;

/// <summary>
/// How far the ledger has been turned into deliveries: one row. The ledger is the outbox (ADR 0011, 0040): events
/// are appended in sequence order under the write lock, and the dispatcher fans out the ones after
/// <see cref="Through"/> under the same lock, so a committed event can neither be skipped nor fanned out twice.
/// </summary>
public sealed class WebhookFanOut
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;

    /// <summary>The last sequence turned into deliveries (0 before the first).</summary>
    public long Through { get; set; }
}
