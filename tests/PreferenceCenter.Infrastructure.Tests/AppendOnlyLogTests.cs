using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Tests;

public sealed class AppendOnlyLogTests
{
    [Fact]
    public async Task ConsentEvents_RawSqlUpdateFails_WhenSentStraightToSqlite()
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        var ex = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"ConsentEvents\" SET \"Action\" = 'Revoked'"));
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ConsentAction.Granted, (await db.ConsentEvents.SingleAsync()).Action);
    }

    [Fact]
    public async Task ConsentEvents_RawSqlDeleteFails_WhenSentStraightToSqlite()
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        var ex = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"ConsentEvents\""));
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.ConsentEvents.CountAsync());
    }

    [Fact]
    public async Task ConsentEvents_BulkExecuteDeleteFails_WhenBypassingTheChangeTracker()
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        await Assert.ThrowsAsync<SqliteException>(() => db.ConsentEvents.ExecuteDeleteAsync());
        Assert.Equal(1, await db.ConsentEvents.CountAsync());
    }

    [Fact]
    public async Task DbContext_RefusesToSave_WhenAConsentEventWasDeleted()
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        db.ConsentEvents.Remove(await db.ConsentEvents.SingleAsync());
        await Assert.ThrowsAsync<AppendOnlyViolationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task DbContext_RefusesToSave_WhenAConsentTextWasEdited()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = await database.OpenAsync();
        var text = await db.ConsentTexts.FirstAsync();
        db.Entry(text).Property(t => t.Body).CurrentValue = "Something else entirely";
        await Assert.ThrowsAsync<AppendOnlyViolationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task ConsentTexts_RawSqlUpdateFails_WhenAVersionWouldBeRewritten()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = await database.OpenAsync();
        await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"ConsentTexts\" SET \"Body\" = 'changed'"));
        await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"ConsentTexts\""));
    }
}
