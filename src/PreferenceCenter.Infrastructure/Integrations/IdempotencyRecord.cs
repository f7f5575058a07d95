namespace PreferenceCenter.Infrastructure.Integrations;

/// <summary>The first answer to a write an integration sent with an <c>Idempotency-Key</c>; a retry gets it again.</summary>
public sealed class IdempotencyRecord
{
    public required Guid IntegrationId { get; init; }

    public required string Key { get; init; }

    /// <summary>What was asked (method and path), so the same key cannot be reused for a different request.</summary>
    public required string Request { get; init; }

    public int StatusCode { get; init; }

    public required string ResponseJson { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
