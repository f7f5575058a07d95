namespace PreferenceCenter.Domain.Customers;

/// <summary>
/// The person whose consent we hold. Today always tied to a signed-in account; later also created from an embed
/// site's (site, sub), so it is its own entity rather than the Identity user.
/// </summary>
public sealed class Customer
{
    private Customer()
    {
    }

    public Guid Id { get; private init; }

    /// <summary>The Identity user id, when the customer has an account here.</summary>
    public string? UserId { get; private set; }

    /// <summary>The embed site that created this customer, with <see cref="ExternalSubject"/> (its own customer id).</summary>
    public string? EmbedSiteId { get; private init; }

    public string? ExternalSubject { get; private set; }

    public DateTimeOffset CreatedAt { get; private init; }

    /// <summary>When the customer's personal data was erased at their request; their anonymous facts remain.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }

    public void MarkErased(DateTimeOffset now)
    {
        UserId = null;
        ExternalSubject = null;
        ErasedAt ??= now;
    }

    public static Customer ForEmbed(string siteId, string subject, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(siteId);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        return new Customer { Id = Guid.CreateVersion7(now), EmbedSiteId = siteId, ExternalSubject = subject, CreatedAt = now };
    }

    public static Customer ForUser(string userId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return new Customer { Id = Guid.CreateVersion7(now), UserId = userId, CreatedAt = now };
    }
}
