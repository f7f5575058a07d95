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

    public AppServer()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/";
    }

    public string BaseUrl { get; }

    /// <summary>The settings that point another process (the CLI) at this server's database.</summary>
    public IReadOnlyDictionary<string, string?> DataSettings => _data.Settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_data.Settings));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
}
