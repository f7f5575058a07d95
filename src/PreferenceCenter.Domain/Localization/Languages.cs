namespace PreferenceCenter.Domain.Localization;

/// <summary>The languages customers can use: the UI, consent texts and text-message replies exist in each.</summary>
public static class Languages
{
    public const string English = "en";

    public const string Spanish = "es";

    public static IReadOnlyList<string> All { get; } = [English, Spanish];

    /// <summary>
    /// The supported language a tag such as <c>es-MX</c>, <c>ES</c> or <c>en_GB</c> asks for (regional variants fall
    /// back to their language), or null when it asks for none of ours.
    /// </summary>
    public static string? Match(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var trimmed = tag.Trim();
        var end = trimmed.IndexOfAny(['-', '_']);
        var language = (end < 0 ? trimmed : trimmed[..end]).ToLowerInvariant();
        return All.Contains(language) ? language : null;
    }
}
