namespace PreferenceCenter.Domain.Integrations;

/// <summary>
/// Another system (CRM, marketing tool) that calls the API with its own key. Only a hash of the key is kept: the key
/// itself is shown once, when created.
/// </summary>
public sealed class Integration
{
    private Integration()
    {
        Name = string.Empty;
        ScopesText = string.Empty;
        KeyPrefix = string.Empty;
        KeyHash = string.Empty;
    }

    public Guid Id { get; private init; }

    public string Name { get; private init; }

    /// <summary>Space-separated scopes, e.g. <c>consents:read consents:write</c>.</summary>
    public string ScopesText { get; private init; }

    /// <summary>The key's public first part, to find it (and to recognise it in a list) without the secret.</summary>
    public string KeyPrefix { get; private init; }

    /// <summary>Lowercase hex SHA-256 of the whole key (keys are 256-bit random, so a fast hash is enough).</summary>
    public string KeyHash { get; private init; }

    public DateTimeOffset CreatedAt { get; private init; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public IReadOnlyList<string> Scopes => ScopesText.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The ledger's actor for changes this integration makes.</summary>
    public string Actor => $"integration:{Id}";

    public bool Has(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    public static Integration Create(string name, IEnumerable<string> scopes, string keyPrefix, string keyHash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var list = scopes.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0 || list.Any(s => !ApiScopes.All.Contains(s)))
        {
            throw new ArgumentException($"Scopes must be some of: {string.Join(", ", ApiScopes.All)}.", nameof(scopes));
        }

        return new Integration
        {
            Id = Guid.CreateVersion7(now),
            Name = name.Trim().Length <= 100 ? name.Trim() : throw new ArgumentException("Names are at most 100 characters.", nameof(name)),
            ScopesText = string.Join(' ', list),
            KeyPrefix = keyPrefix,
            KeyHash = keyHash,
            CreatedAt = now,
        };
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
