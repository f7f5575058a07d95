using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>The real app (real pipeline, real SQLite file in a temp folder) in the test process.</summary>
public sealed class PreferenceCenterAppFactory(string environment, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly TempDataFolder _data = new("web-it");

    // Test receivers listen on 127.0.0.1; a test that needs the production rule passes "false" in its settings.
    private static readonly Dictionary<string, string?> TestDefaults = new() { ["Webhooks:AllowPrivateNetworks"] = "true" };

    /// <summary>This instance's data folder and database, for a second instance or another process to share.</summary>
    public IReadOnlyDictionary<string, string?> DataSettings => _data.Settings;

    public string DataFolder => _data.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);

        // Host settings reach Program's builder before it builds (some registrations read configuration there);
        // the configuration source below is what the built app reads.
        foreach (var (key, value) in TestDefaults.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_data.Settings).AddInMemoryCollection(TestDefaults).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
}
