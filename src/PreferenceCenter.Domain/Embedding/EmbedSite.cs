namespace PreferenceCenter.Domain.Embedding;

/// <summary>
/// A business site allowed to frame the preferences page for its own customers. Its signing secret is stored only in
/// protected form (the plain secret is shown once, when created or rotated).
/// </summary>
public sealed class EmbedSite
{
    private EmbedSite()
    {
        Id = string.Empty;
        DisplayName = string.Empty;
        AllowedOriginsText = string.Empty;
        ProtectedSecret = string.Empty;
    }

    /// <summary>Lowercase letters, digits and hyphens, e.g. <c>demo</c>; appears in links and in <c>embedded:&lt;id&gt;</c>.</summary>
    public string Id { get; private init; }

    public string DisplayName { get; private set; }

    /// <summary>Exact origins, one per line; what frame-ancestors lists.</summary>
    public string AllowedOriginsText { get; private set; }

    public string ProtectedSecret { get; private set; }

    /// <summary>Optional theme: a #rrggbb primary colour.</summary>
    public string? PrimaryColor { get; private set; }

    /// <summary>Optional https logo shown above the page.</summary>
    public string? LogoUrl { get; private set; }

    public bool DarkMode { get; private set; }

    public DateTimeOffset CreatedAt { get; private init; }

    public DateTimeOffset? DisabledAt { get; private set; }

    public IReadOnlyList<string> AllowedOrigins => AllowedOriginsText.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public bool Allows(string? origin) => origin is not null && AllowedOrigins.Contains(origin, StringComparer.Ordinal);

    public static EmbedSite Create(string id, string displayName, IEnumerable<string> allowedOrigins, string protectedSecret, DateTimeOffset now)
    {
        if (!EmbedRules.IsValidSiteId(id))
        {
            throw new ArgumentException("Site ids are 1-40 lowercase letters, digits or hyphens.", nameof(id));
        }

        var site = new EmbedSite { Id = id, CreatedAt = now };
        site.Update(displayName, allowedOrigins, null, null, false);
        site.ReplaceSecret(protectedSecret);
        return site;
    }

    public void Update(string displayName, IEnumerable<string> allowedOrigins, string? primaryColor, string? logoUrl, bool darkMode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        var origins = new List<string>();
        foreach (var value in allowedOrigins)
        {
            origins.Add(EmbedRules.TryNormaliseOrigin(value, out var origin) ? origin : throw new ArgumentException($"Not an origin: {value}", nameof(allowedOrigins)));
        }

        if (origins.Count == 0)
        {
            throw new ArgumentException("At least one allowed origin is needed.", nameof(allowedOrigins));
        }

        DisplayName = displayName.Trim();
        AllowedOriginsText = string.Join('\n', origins.Distinct(StringComparer.Ordinal));
        PrimaryColor = primaryColor is null || EmbedRules.IsColour(primaryColor) ? primaryColor : throw new ArgumentException("Colours are #rrggbb.", nameof(primaryColor));
        LogoUrl = logoUrl is null || EmbedRules.IsHttpsUrl(logoUrl) ? logoUrl : throw new ArgumentException("Logos are https URLs.", nameof(logoUrl));
        DarkMode = darkMode;
    }

    public void ReplaceSecret(string protectedSecret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(protectedSecret);
        ProtectedSecret = protectedSecret;
    }

    public void Disable(DateTimeOffset now) => DisabledAt ??= now;
}
