using System.ComponentModel.DataAnnotations;

namespace PreferenceCenter.Infrastructure.Embedding;

public sealed class EmbedOptions
{
    public const string SectionName = "Embed";

    /// <summary>Links whose expiry is further away than this are refused, so hosts cannot mint long-lived links.</summary>
    [Range(1, 1440)]
    public int MaxLinkLifetimeMinutes { get; set; } = 15;

    /// <summary>Sites from configuration (Development seeds <c>demo</c>); created or updated at start-up.</summary>
    public Dictionary<string, ConfiguredEmbedSite> Sites { get; set; } = [];
}

public sealed class ConfiguredEmbedSite
{
    public string? DisplayName { get; set; }

    public string? Secret { get; set; }

    /// <summary>Origins separated by spaces, commas or new lines, or as an array.</summary>
    public string? AllowedOrigins { get; set; }

    public string? PrimaryColor { get; set; }

    public string? LogoUrl { get; set; }

    public bool DarkMode { get; set; }
}
