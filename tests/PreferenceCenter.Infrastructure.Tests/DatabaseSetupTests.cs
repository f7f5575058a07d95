using Microsoft.EntityFrameworkCore;

namespace PreferenceCenter.Infrastructure.Tests;

public sealed class DatabaseSetupTests
{
    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Migrations_LeaveNothingPending_WhenAppliedToANewDatabase(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = await database.OpenAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), $"The model has changes that no {provider} migration captures: add a migration (README → Database migrations).");
        Assert.Equal(provider == TestProvider.Postgres, db.Database.IsNpgsql());
        Assert.True(provider == TestProvider.Postgres || File.Exists(database.DatabasePath));
    }

    [Fact]
    public async Task Database_UsesWriteAheadLog_AfterStartUp()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = await database.OpenAsync();
        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();
        Assert.Equal("wal", Assert.Single(mode));
    }

    [Fact]
    public async Task Migrations_SeedOneTextPerPurpose_InEnglish()
    {
        await using var database = await TestDatabase.CreateAsync();
        var texts = await database.Consents.GetCurrentTextsAsync("en");
        Assert.Equal(2, texts.Count);
        Assert.All(texts, t => Assert.Contains("STOP", t.Body, StringComparison.Ordinal));
        Assert.Equal(texts.Select(t => t.Id), (await database.Consents.GetCurrentTextsAsync("xx")).Select(t => t.Id));
    }
}
