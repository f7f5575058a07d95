using Microsoft.EntityFrameworkCore;

namespace PreferenceCenter.Infrastructure.Tests;

public sealed class DatabaseSetupTests
{
    [Fact]
    public async Task Migrations_LeaveNothingPending_WhenAppliedToANewFile()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = await database.OpenAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration captures: add a migration.");
        Assert.True(File.Exists(database.DatabasePath));
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
