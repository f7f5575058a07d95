using System.Text.RegularExpressions;

namespace PreferenceCenter.Domain.Embedding;

/// <summary>What a site id, an origin, a subject and a nonce may look like.</summary>
public static partial class EmbedRules
{
    public static bool IsValidSiteId(string? id) => id is not null && SiteId().IsMatch(id);

    /// <summary>
    /// The host's own customer id: 1-200 visible characters. Control and format characters (bidi overrides and
    /// isolates U+202A-U+202E, U+2066-U+2069, zero-width U+200B-U+200F, U+FEFF…), line and paragraph separators and
    /// unpaired surrogates are refused: they would let two ids that look the same be two customers, or make an id read
    /// differently on the agent's screen than it is stored.
    /// </summary>
    public static bool IsValidSubject(string? sub) =>
        sub is { Length: > 0 and <= 200 } && sub.Trim() == sub && !sub.Any(IsInvisible) && !HasUnpairedSurrogate(sub);

    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is
        System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
        or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator;

    private static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsValidNonce(string? nonce) => nonce is not null && Nonce().IsMatch(nonce);

    public static bool IsColour(string value) => Colour().IsMatch(value);

    public static bool IsHttpsUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    /// <summary>An exact <c>scheme://host[:port]</c> (http or https, no path, query or fragment), lowercased.</summary>
    public static bool TryNormaliseOrigin(string? value, out string origin)
    {
        origin = string.Empty;
        var trimmed = value?.Trim().TrimEnd('/');
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || !trimmed!.Contains(uri.Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        origin = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
        return true;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")]
    private static partial Regex SiteId();

    [GeneratedRegex("^[A-Za-z0-9_-]{16,128}$")]
    private static partial Regex Nonce();

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex Colour();
}
