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

    /// <summary>
    /// For a production server (private networks not allowed): refuses a URL whose host is written as an address that
    /// is not public (any form <see cref="Uri"/> reads, e.g. <c>2130706433</c> or <c>[::ffff:127.0.0.1]</c>) or is
    /// <c>localhost</c>. An early, friendly answer only: a name can still resolve to such an address, which the
    /// dispatcher refuses when it connects.
    /// </summary>
    public static bool TryCheckPublicHost(string url, out string problem)
    {
        ArgumentNullException.ThrowIfNull(url);
        problem = string.Empty;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return true;
        }

        var host = uri.DnsSafeHost;
        var range = IPAddress.TryParse(host, out var address) ? ReceiverAddress.Classify(address)
            : uri.IsLoopback || host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ? AddressRange.Loopback
            : AddressRange.Public;
        if (range == AddressRange.Public)
        {
            return true;
        }

        problem = $"{uri.Host} is a {Describe(range)} address: this server only delivers to receivers on the internet.";
        return false;
    }

    private static string Describe(AddressRange range) => range switch
    {
        AddressRange.Loopback => "loopback (this machine)",
        AddressRange.Private => "private network",
        AddressRange.LinkLocal => "link-local",
        AddressRange.UniqueLocal => "unique-local (private IPv6)",
        AddressRange.SharedAddressSpace => "carrier-grade NAT",
        AddressRange.Multicast => "multicast",
        AddressRange.Unspecified => "unspecified",
        AddressRange.Broadcast => "broadcast",
        _ => "reserved",
    };

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
