using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>The whole app on PostgreSQL (Database:Provider=Postgres) against the test run's throwaway cluster.</summary>
public sealed class PostgresHostingTests : IDisposable
{
    private readonly TempDataFolder _cli = new("postgres-cli");

    [Fact]
    public async Task App_RunsOnPostgres_MigratesAnswersReadyRecordsConsentAndTheLedgerVerifies()
    {
        await using var database = await PostgresTestCluster.CreateDatabaseAsync();
        // The command line below runs from another data folder: like a second instance, it needs the app's keys.
        var settings = new Dictionary<string, string?>(SharedSecrets.Create())
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:PreferenceCenter"] = database.ConnectionString,
        };
        await using var app = new PreferenceCenterAppFactory("Development", settings);
        using var client = app.CreateClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using (var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        }

        // A verified number and an opt-in through the app's services, then the API's check and revoke over HTTP.
        var customer = await CustomersWithConsent.CreateAsync(app, "+447700900571");
        var key = (await app.Services.GetRequiredService<IntegrationKeys>().CreateAsync("CRM on Postgres", [ApiScopes.ConsentsRead, ApiScopes.ConsentsWrite])).Key;
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var before = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/consents/check?phone=07700900571&purpose=Promotions", UriKind.Relative), TestContext.Current.CancellationToken);
        using (var revoke = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/customers/{customer}/consents/Promotions/revoke", UriKind.Relative)))
        {
            revoke.Headers.Add("Idempotency-Key", "pg-1");
            using var revoked = await client.SendAsync(revoke, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        var after = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/consents/check?phone=07700900571&purpose=Promotions", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal((true, false), (before.GetProperty("allowed").GetBoolean(), after.GetProperty("allowed").GetBoolean()));

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            Assert.True(db.Database.IsNpgsql());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
            Assert.Equal([1L, 2L], await db.ConsentEvents.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync(TestContext.Current.CancellationToken));
        }

        // `ledger verify` as an operator runs it: the configured PostgreSQL database, then another one by --connection.
        var cli = new Dictionary<string, string?>(_cli.Settings);
        foreach (var (name, value) in settings)
        {
            cli[name] = value;
        }

        var intact = await WebExecutable.RunAsync(cli, TestContext.Current.CancellationToken, "ledger", "verify");
        Assert.True(intact.Code == 0, intact.Errors);
        Assert.Matches(@"^2 events, chain intact, head [0-9a-f]{64}\s*$", intact.Output);

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            await db.Database.ExecuteSqlRawAsync("""ALTER TABLE "ConsentEvents" DISABLE TRIGGER USER; UPDATE "ConsentEvents" SET "Method" = 'agent' WHERE "Sequence" = 2;""", TestContext.Current.CancellationToken);
        }

        var broken = await WebExecutable.RunAsync(cli, TestContext.Current.CancellationToken, "ledger", "verify", "--connection", database.ConnectionString);
        Assert.Equal(1, broken.Code);
        Assert.Contains("Ledger broken at sequence 2: hash mismatch", broken.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_RefusesToStart_WhenTheDatabaseProviderIsUnknown()
    {
        var run = await WebExecutable.RunAsync(new Dictionary<string, string?>(_cli.Settings) { ["Database:Provider"] = "Oracle" }, TestContext.Current.CancellationToken, "ledger", "verify");

        Assert.NotEqual(0, run.Code);
        Assert.Contains("Database:Provider must be 'Sqlite' (the default) or 'Postgres'.", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_RefusesToStart_WhenPostgresHasNoConnectionString()
    {
        var run = await WebExecutable.RunAsync(new Dictionary<string, string?>(_cli.Settings) { ["Database:Provider"] = "Postgres", ["ConnectionStrings:PreferenceCenter"] = string.Empty }, TestContext.Current.CancellationToken, "ledger", "verify");

        Assert.NotEqual(0, run.Code);
        Assert.Contains("ConnectionStrings:PreferenceCenter must be set to an Npgsql connection string when Database:Provider is 'Postgres'.", run.Errors, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
