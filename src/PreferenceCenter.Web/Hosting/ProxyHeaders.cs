using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

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

internal static class ProxyHeaders
{
    /// <summary>
    /// Behind nginx the connection comes from the proxy; the consent log must record the customer's address and the
    /// scheme they used. Only loopback is trusted by default (nginx on the same host, docs/deploy); other proxies are
    /// listed in configuration, so nobody else can forge the address that goes into the evidence.
    /// </summary>
    public static WebApplicationBuilder AddProxyHeaders(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection(ProxyOptions.SectionName).Get<ProxyOptions>() ?? new ProxyOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }
}
