using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PreferenceCenter.Infrastructure.Health;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

public sealed class HealthTests
{
    [Fact]
    public async Task HealthEndpoints_AnswerHealthy_WhenTheAppHasMigratedItsDatabase()
    {
        await using var app = new PreferenceCenterAppFactory("Production");
        using var client = app.CreateClient();

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (live.StatusCode, ready.StatusCode));
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task DatabaseReadyCheck_IsUnhealthy_WhenMigrationsAreMissing()
    {
        using var data = new TempDataFolder("health");
        var options = new DbContextOptionsBuilder<PreferenceCenterDbContext>()
            .UseSqlite($"Data Source={data.DatabasePath}", o => o.MigrationsAssembly("PreferenceCenter.Migrations.Sqlite")).Options;
        await using (var db = new PreferenceCenterDbContext(options))
        {
            // A database that answers but was never migrated (an empty file).
            await db.Database.OpenConnectionAsync();
        }

        var result = await new DatabaseReadyCheck(new Factory(options)).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("not applied", result.Description, StringComparison.Ordinal);
    }

    private sealed class Factory(DbContextOptions<PreferenceCenterDbContext> options) : IDbContextFactory<PreferenceCenterDbContext>
    {
        public PreferenceCenterDbContext CreateDbContext() => new(options);
    }
}
