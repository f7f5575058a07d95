namespace PreferenceCenter.Domain.Customers;

/// <summary>
/// The person whose consent we hold: tied to a signed-in account, to an embed site's (site, sub), or created by a
/// bulk import from another system's records, keyed by a number nobody has verified here yet (ADR 13).
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

    /// <summary>When a bulk import created this customer from another system's records (null for everyone else).</summary>
    public DateTimeOffset? ImportedAt { get; private init; }

    /// <summary>
    /// The imported customer this record's account moved to when it verified that customer's number (ADR 13). This
    /// record is then an empty shell: no account, no number, no consent.
    /// </summary>
    public Guid? MovedTo { get; private set; }

    /// <summary>Imported and not yet taken over by an account or an embed site.</summary>
    public bool IsUnclaimedImport => ImportedAt is not null && UserId is null && EmbedSiteId is null && ErasedAt is null;

    /// <summary>
    /// The language the customer chose with the language switch (<c>en</c>, <c>es</c>), or null if they never chose:
    /// their pages and text-message replies use it. Inside a host's frame no cookie can remember the choice, this does.
    /// </summary>
    public string? PreferredLanguage { get; private set; }

    public void ChoosePreferredLanguage(string language)
    {
        PreferredLanguage = Localization.Languages.Match(language) ?? throw new ArgumentException($"'{language}' is not a supported language.", nameof(language));
    }

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

    public static Customer ForImport(DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), ImportedAt = now, CreatedAt = now };

    /// <summary>Hands this record's account over to <paramref name="imported"/> and returns the account's user id.</summary>
    public string MoveAccountTo(Customer imported)
    {
        ArgumentNullException.ThrowIfNull(imported);
        if (UserId is not { } userId || !imported.IsUnclaimedImport)
        {
            throw new InvalidOperationException("Only an account can take over a customer that was imported and never claimed.");
        }

        UserId = null;
        MovedTo = imported.Id;
        return userId;
    }

    /// <summary>The account that verified this imported customer's number is now this customer's account.</summary>
    public void ClaimFor(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (!IsUnclaimedImport)
        {
            throw new InvalidOperationException("This customer is not an unclaimed import.");
        }

        UserId = userId;
    }

    public static Customer ForUser(string userId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return new Customer { Id = Guid.CreateVersion7(now), UserId = userId, CreatedAt = now };
    }
}
