using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Tests;

public sealed class AppendOnlyLogTests
{
    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task ConsentEvents_RawSqlUpdateFails_WhenSentStraightToTheDatabase(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        var ex = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"ConsentEvents\" SET \"Action\" = 'Revoked'"));
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ConsentAction.Granted, (await db.ConsentEvents.SingleAsync()).Action);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task ConsentEvents_RawSqlDeleteFails_WhenSentStraightToTheDatabase(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        var ex = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"ConsentEvents\""));
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.ConsentEvents.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task ConsentEvents_BulkExecuteDeleteFails_WhenBypassingTheChangeTracker(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        await Assert.ThrowsAnyAsync<DbException>(() => db.ConsentEvents.ExecuteDeleteAsync());
        Assert.Equal(1, await db.ConsentEvents.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task DbContext_RefusesToSave_WhenAConsentEventWasDeleted(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        db.ConsentEvents.Remove(await db.ConsentEvents.SingleAsync());
        await Assert.ThrowsAsync<AppendOnlyViolationException>(() => db.SaveChangesAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task DbContext_RefusesToSave_WhenAConsentTextWasEdited(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = await database.OpenAsync();
        var text = await db.ConsentTexts.FirstAsync();
        db.Entry(text).Property(t => t.Body).CurrentValue = "Something else entirely";
        await Assert.ThrowsAsync<AppendOnlyViolationException>(() => db.SaveChangesAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task ConsentTexts_RawSqlUpdateFails_WhenAVersionWouldBeRewritten(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = await database.OpenAsync();
        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"ConsentTexts\" SET \"Body\" = 'changed'"));
        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"ConsentTexts\""));
    }

    [Fact]
    public async Task LedgerTables_RefuseTruncate_OnPostgres()
    {
        // PostgreSQL's TRUNCATE skips row triggers, so each append-only table has a statement trigger for it too.
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        foreach (var table in new[] { "ConsentEvents", "ConsentTexts", "ConsentTextImpressions", "AccessRecords", "LedgerCheckpoints" })
        {
            var truncate = $"TRUNCATE \"{table}\" CASCADE";
            var ex = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync(truncate));
            Assert.Contains($"{table} is append-only", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, await db.ConsentEvents.CountAsync());
    }
}
