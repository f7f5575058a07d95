namespace PreferenceCenter.Infrastructure.Embedding;

/// <summary>A nonce already used by a link of a site; the primary key makes a replay fail to insert.</summary>
public sealed class EmbedNonce
{
    public required string SiteId { get; init; }

    public required string Nonce { get; init; }

    /// <summary>After this the link is expired anyway, so the row may be pruned.</summary>
    public DateTimeOffset ExpiresAt { get; init; }
}
