using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Testing;

namespace PreferenceCenter.EndToEnd.Tests.Infrastructure;

/// <summary>The real app on Kestrel, on a free loopback port, with its own SQLite file: what a browser really talks to.</summary>
public sealed class AppServer : WebApplicationFactory<Program>
{
    private readonly TempDataFolder _data = new("e2e");

    private readonly int _port = FreePort();

    private readonly Action<IWebHostBuilder>? _configure;

    public AppServer(Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        UseKestrel(_port);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/";
    }

    /// <summary>The app as a customer opens it: http://127.0.0.1:port/.</summary>
    public string BaseUrl { get; }

    /// <summary>The same server under its other loopback name, a different site for the browser (the embed origin).</summary>
    public string LocalhostUrl => $"http://localhost:{_port}/";

    /// <summary>The settings that point another process (the CLI) at this server's database.</summary>
    public IReadOnlyDictionary<string, string?> DataSettings => _data.Settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("urls", $"http://127.0.0.1:{_port}");

        // The demo host page is served from http://127.0.0.1:port and frames http://localhost:port, as in Development.
        // Webhook receivers in these tests listen on 127.0.0.1.
        var settings = new Dictionary<string, string?>(_data.Settings)
        {
            ["Embed:Sites:demo:AllowedOrigins"] = $"http://127.0.0.1:{_port}",
            ["Webhooks:AllowPrivateNetworks"] = "true",

            // Every test's browser is 127.0.0.1, and every customer now signs in with a code: one address's hourly cap
            // would otherwise be spent by the suite itself (CustomerJourneyTests checks the per-number limits).
            ["Verification:MaxSendsPerIpPerHour"] = "10000",
        };
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        _configure?.Invoke(builder);
    }

    // Known before start-up so the demo site's allowed origin can name it; the window between probe and bind is tiny.
    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
}
