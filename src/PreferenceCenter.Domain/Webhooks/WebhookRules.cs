using System.Net;

namespace PreferenceCenter.Domain.Webhooks;

public static class WebhookRules
{
    public const int MaxUrlLength = 2000;

    /// <summary>
    /// An absolute https URL without credentials or fragment; plain http only to a loopback address (a receiver on
    /// the same machine while developing), because deliveries carry phone numbers.
    /// </summary>
    public static bool TryNormaliseUrl(string? value, out string url, out string problem)
    {
        url = string.Empty;
        var text = value?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Length > MaxUrlLength || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            problem = $"Give an absolute https URL of at most {MaxUrlLength} characters.";
            return false;
        }

        if (uri.Scheme == "http" && !IsLoopback(uri))
        {
            problem = "Use https: deliveries carry phone numbers (plain http is allowed only to localhost).";
            return false;
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            problem = "Leave out user names, passwords and #fragments.";
            return false;
        }

        url = uri.AbsoluteUri;
        problem = string.Empty;
        return true;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
