using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Ledger;

namespace PreferenceCenter.Infrastructure.Tests;

public sealed class ProjectionRebuilderTests
{
    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Rebuild_ChangesNothing_WhenProjectionMatchesTheLedger(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        await using var db = await database.OpenAsync();

        var report = await ProjectionRebuilder.RebuildAsync(db);

        Assert.Empty(report.Fixed);
        Assert.Equal(1, report.StatesChecked);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Rebuild_RestoresTheLedgersAnswer_WhenStatesWereCorruptedDeletedOrInvented(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        var other = await database.CreateVerifiedCustomerAsync("+447700900124");
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, TestDatabase.Evidence(customer));
        object changedAt = provider == TestProvider.Postgres ? DateTimeOffset.UnixEpoch : 0L;
        await using (var db = await database.OpenAsync())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE \"ConsentStates\" SET \"Granted\" = FALSE WHERE \"Purpose\" = 'Promotions'");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"ConsentStates\" WHERE \"Purpose\" = 'AccountAlerts'");
            await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO \"ConsentStates\" (\"CustomerId\",\"Purpose\",\"Granted\",\"PhoneE164\",\"ConsentTextId\",\"LastEventId\",\"LastSequence\",\"ChangedAt\") VALUES ({other}, 'Promotions', {true}, '+447700900124', 2, {Guid.NewGuid()}, 99, {changedAt})");
        }

        await using var fix = await database.OpenAsync();
        var report = await ProjectionRebuilder.RebuildAsync(fix);

        Assert.Equal(3, report.Fixed.Count);
        Assert.Contains(report.Fixed, f => f.StartsWith("replaced", StringComparison.Ordinal));
        Assert.Contains(report.Fixed, f => f.StartsWith("added", StringComparison.Ordinal));
        Assert.Contains(report.Fixed, f => f.StartsWith("removed", StringComparison.Ordinal));
        Assert.All(await database.Consents.GetStatesAsync(customer), s => Assert.True(s.Granted));
        Assert.All(await database.Consents.GetStatesAsync(other), s => Assert.False(s.Granted));
        await using var again = await database.OpenAsync();
        Assert.Empty((await ProjectionRebuilder.RebuildAsync(again)).Fixed);
    }
}
