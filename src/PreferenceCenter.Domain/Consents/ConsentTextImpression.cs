namespace PreferenceCenter.Domain.Consents;

/// <summary>
/// A customer was shown a consent text version (the boxes were on screen), once per version per customer. Makes
/// "saw version 3 and did not tick it" provable, not just "ticked version 3". Append-only.
/// </summary>
public sealed class ConsentTextImpression
{
    private ConsentTextImpression()
    {
        Method = string.Empty;
    }

    public long Id { get; private init; }

    public Guid CustomerId { get; private init; }

    public int ConsentTextId { get; private init; }

    public DateTimeOffset ShownAt { get; private init; }

    /// <summary>Where it was shown: <c>web</c> or <c>embedded:&lt;site&gt;</c>.</summary>
    public string Method { get; private init; }

    public string? Origin { get; private init; }

    public static ConsentTextImpression Create(Guid customerId, int consentTextId, DateTimeOffset shownAt, string method, string? origin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        return new ConsentTextImpression
        {
            CustomerId = customerId,
            ConsentTextId = consentTextId,
            ShownAt = shownAt.ToUniversalTime(),
            Method = method,
            Origin = origin is { Length: > 200 } ? origin[..200] : origin,
        };
    }
}
