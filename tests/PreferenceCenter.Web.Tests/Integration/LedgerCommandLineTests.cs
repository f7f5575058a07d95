using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>`ledger verify` run as the real executable against a database the app wrote.</summary>
public sealed class LedgerCommandLineTests : IDisposable
{
    private readonly TempDataFolder _cli = new("ledger-cli");

    [Fact]
    public async Task LedgerVerify_ExitsZeroWithSummary_ThenOneNamingTheSequence_AfterTampering()
    {
        await using var app = new PreferenceCenterAppFactory("Development");
        using (app.CreateClient())
        {
            await CustomersWithConsent.CreateAsync(app);
        }

        string database;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync())
        {
            database = db.Database.GetDbConnection().DataSource;
        }

        var intact = await RunAsync("ledger", "verify", "--connection", $"Data Source={database}");
        Assert.True(intact.Code == 0, intact.Errors);
        Assert.Matches(@"^1 events, chain intact, head [0-9a-f]{64}\s*$", intact.Output);

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER \"TR_ConsentEvents_NoUpdate\"; UPDATE \"ConsentEvents\" SET \"Method\" = 'agent';");
        }

        var broken = await RunAsync("ledger", "verify", "--connection", $"Data Source={database}");
        Assert.Equal(1, broken.Code);
        Assert.Contains("Ledger broken at sequence 1: hash mismatch", broken.Errors, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();

    private Task<(int Code, string Output, string Errors)> RunAsync(params string[] args) =>
        WebExecutable.RunAsync(_cli.Settings, TestContext.Current.CancellationToken, args);
}
