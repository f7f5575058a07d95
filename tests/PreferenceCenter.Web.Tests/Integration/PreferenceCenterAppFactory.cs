using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>The real app (real pipeline, real SQLite file in a temp folder) in the test process.</summary>
/// <remarks>
/// Outside Development the app refuses unsafe settings (ADR 26): such a factory starts from
/// <see cref="ProductionTestSettings"/>, which <paramref name="settings"/> override (a null value removes one).
/// </remarks>
public sealed class PreferenceCenterAppFactory(string environment, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly TempDataFolder _data = new("web-it");
    private readonly IReadOnlyDictionary<string, string?> _settings = WithProductionDefaults(environment, settings);

    // Test receivers listen on 127.0.0.1; a test that needs the production rule passes "false" in its settings.
    private static readonly Dictionary<string, string?> TestDefaults = new() { ["Webhooks:AllowPrivateNetworks"] = "true" };

    /// <summary>This instance's data folder and database, for a second instance or another process to share.</summary>
    public IReadOnlyDictionary<string, string?> DataSettings => _data.Settings;

    public string DataFolder => _data.Path;

    /// <summary>An extra logger provider (a test reading what the app logs), added before the app starts.</summary>
    public ILoggerProvider? Logs { get; init; }

    /// <summary>A clock the test moves (the app's TimeProvider), for what happens after hours or days.</summary>
    public TimeProvider? Clock { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);

        // Host settings reach Program's builder before it builds (some registrations read configuration there);
        // the configuration source below is what the built app reads.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_data.Settings).AddInMemoryCollection(_settings));
        if (Logs is not null)
        {
            builder.ConfigureLogging(l => l.AddProvider(Logs));
        }

        if (Clock is not null)
        {
            builder.ConfigureServices(services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, Clock));
        }
    }

    private static Dictionary<string, string?> WithProductionDefaults(string environment, IReadOnlyDictionary<string, string?>? settings)
    {
        var merged = new Dictionary<string, string?>(TestDefaults);
        foreach (var (key, value) in environment == "Development" ? [] : ProductionTestSettings.Create())
        {
            merged[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        return merged;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
}
