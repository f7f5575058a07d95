using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>The real app (real pipeline, real SQLite file in a temp folder) in the test process.</summary>
public sealed class PreferenceCenterAppFactory(string environment) : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pc-web-it", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataFolder"] = _folder,
            ["ConnectionStrings:PreferenceCenter"] = $"Data Source={Path.Combine(_folder, "app.db")}",
        }));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left-over temp files are harmless.
        }
    }
}
