namespace PreferenceCenter.Web.Hosting;

/// <summary>Which proxies in front of the app may say who the client is (X-Forwarded-For / -Proto).</summary>
public sealed class ProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses trusted besides loopback, e.g. a load balancer on another host (<c>10.0.0.5</c>).</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks trusted besides loopback, in CIDR notation (<c>10.0.0.0/24</c>).</summary>
    public IList<string> KnownNetworks { get; } = [];
}
