using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Tests;

public sealed class LedgerChainTests
{
    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_ReportsIntactChain_WithTheLastHashAsHead(TestProvider provider)
    {
        await using var database = await WithHistoryAsync(provider);
        await using var db = await database.OpenAsync();

        var report = await LedgerVerifier.VerifyAsync(db);

        var last = await db.ConsentEvents.OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.True(report.Intact, report.Summary);
        Assert.Equal((6L, last.Hash), (report.Events, report.Head));
        Assert.Equal($"6 events, chain intact, head {last.Hash}", report.Summary);
        Assert.All(await db.ConsentEvents.ToListAsync(), e => Assert.Matches("^[0-9a-f]{64}$", e.Hash));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_NamesTheSequence_WhenAnAttackerEditsAField(TestProvider provider)
    {
        await using var database = await WithHistoryAsync(provider);
        await using var db = await database.OpenAsync();
        await TamperAsync(database, db, "UPDATE \"ConsentEvents\" SET \"Action\" = 'Granted' WHERE \"Sequence\" = 4");

        var report = await LedgerVerifier.VerifyAsync(db);

        Assert.Equal((false, 4L), (report.Intact, report.BrokenAt));
        Assert.Contains("hash mismatch", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_NamesTheSequence_WhenAnAttackerEditsAPersonalField(TestProvider provider)
    {
        await using var database = await WithHistoryAsync(provider);
        await using var db = await database.OpenAsync();
        await TamperAsync(database, db, "UPDATE \"ConsentEvents\" SET \"IpAddress\" = '10.0.0.1' WHERE \"Sequence\" = 3");

        var report = await LedgerVerifier.VerifyAsync(db);

        Assert.Equal(3L, report.BrokenAt);
        Assert.Contains("personal fields", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_ReportsGap_WhenAnEventIsDeleted(TestProvider provider)
    {
        await using var database = await WithHistoryAsync(provider);
        await using var db = await database.OpenAsync();
        await TamperAsync(database, db, "DELETE FROM \"ConsentEvents\" WHERE \"Sequence\" = 2");

        var report = await LedgerVerifier.VerifyAsync(db);

        Assert.Equal(2L, report.BrokenAt);
        Assert.Contains("gap", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_DetectsReordering_EvenWhenSequencesStayDense(TestProvider provider)
    {
        await using var database = await WithHistoryAsync(provider);
        await using var db = await database.OpenAsync();
        await TamperAsync(database, db, """
            UPDATE "ConsentEvents" SET "Sequence" = -1 WHERE "Sequence" = 2;
            UPDATE "ConsentEvents" SET "Sequence" = 2 WHERE "Sequence" = 3;
            UPDATE "ConsentEvents" SET "Sequence" = 3 WHERE "Sequence" = -1;
            """);

        var report = await LedgerVerifier.VerifyAsync(db);

        Assert.Equal(2L, report.BrokenAt);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task SealedEvents_CannotBeUnsealedOrRehashed_EvenWithRawSql(TestProvider provider)
    {
        await using var database = await WithHistoryAsync(provider);
        await using var db = await database.OpenAsync();

        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"ConsentEvents\" SET \"Hash\" = NULL"));
        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"ConsentEvents\" SET \"PreviousHash\" = 'x' WHERE \"Sequence\" = 1"));
        Assert.True((await LedgerVerifier.VerifyAsync(db)).Intact);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_ReportsTruncation_WhenTheLastThreeEventsAreCutAfterACheckpoint(TestProvider provider)
    {
        await using var database = await WithHistoryAsync(provider);
        var checkpointer = database.Services.GetRequiredService<LedgerCheckpointer>();
        Assert.Equal(6L, (await checkpointer.CheckpointAsync())?.Sequence);
        Assert.Null(await checkpointer.CheckpointAsync());
        await using var db = await database.OpenAsync();
        Assert.True((await LedgerVerifier.VerifyAsync(db, checkpointer.Keys)).Intact);

        await TamperAsync(database, db, "DELETE FROM \"ConsentEvents\" WHERE \"Sequence\" > 3");
        var report = await LedgerVerifier.VerifyAsync(db, checkpointer.Keys);

        Assert.Equal((false, 4L), (report.Intact, report.BrokenAt));
        Assert.Contains("truncated", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_RejectsACheckpointSignedWithAnotherKey(TestProvider provider)
    {
        await using var database = await WithHistoryAsync(provider);
        await using var db = await database.OpenAsync();
        db.LedgerCheckpoints.Add(LedgerCheckpoint.Create(6, new string('a', 64), database.Clock.GetUtcNow(), new byte[32]));
        await db.SaveChangesAsync();

        var report = await LedgerVerifier.VerifyAsync(db, database.Services.GetRequiredService<LedgerCheckpointer>().Keys);

        Assert.Contains("checkpoint signature invalid", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_ReportsCheckpointMismatch_WhenTheSignedHeadWasRewritten(TestProvider provider)
    {
        await using var database = await WithHistoryAsync(provider);
        var checkpointer = database.Services.GetRequiredService<LedgerCheckpointer>();
        await using var db = await database.OpenAsync();
        db.LedgerCheckpoints.Add(LedgerCheckpoint.Create(5, new string('b', 64), database.Clock.GetUtcNow(), checkpointer.Key));
        await db.SaveChangesAsync();

        var report = await LedgerVerifier.VerifyAsync(db, checkpointer.Keys);

        Assert.Equal(5L, report.BrokenAt);
        Assert.Contains("checkpoint mismatch", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task CheckpointService_SignsTheHead_OnShutdown(TestProvider provider)
    {
        await using var database = await WithHistoryAsync(provider);
        var service = new LedgerCheckpointService(
            database.Services.GetRequiredService<LedgerCheckpointer>(),
            Microsoft.Extensions.Options.Options.Create(new LedgerOptions { CheckpointIntervalSeconds = 3600 }),
            database.Clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<LedgerCheckpointService>.Instance);

        await service.StartAsync(TestContext.Current.CancellationToken);
        await service.StopAsync(TestContext.Current.CancellationToken);

        await using var db = await database.OpenAsync();
        var checkpoint = Assert.Single(await db.LedgerCheckpoints.ToListAsync());
        Assert.Equal(6L, checkpoint.Sequence);
        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"LedgerCheckpoints\""));
    }

    [Theory]
    [InlineData(TestProvider.Sqlite, 1_000)]
    [InlineData(TestProvider.Sqlite, 4_500)]
    [InlineData(TestProvider.Sqlite, 9_100)]
    [InlineData(TestProvider.Postgres, 4_500)]
    [InlineData(TestProvider.Postgres, 9_100)]
    public async Task Verify_NamesTheFirstBreak_WhereverItFallsAmongTheRangesCheckedAtOnce(TestProvider provider, long tampered)
    {
        // The verifier checks ranges of 4,096 events (on SQLite on several threads at once): a break in the first, a
        // middle or the partial last range must be reported exactly as an event-by-event walk would, and an earlier
        // break wins.
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = await database.OpenAsync();
        var heads = await SealedHistoryAsync(database, db, 9_200);
        var intact = await LedgerVerifier.VerifyAsync(db);
        Assert.Equal((true, 9_200L, heads[^1]), (intact.Intact, intact.Events, intact.Head));

        await TamperAsync(database, db, $"UPDATE \"ConsentEvents\" SET \"Action\" = 'Granted' WHERE \"Sequence\" IN ({tampered}, 9150)");
        var report = await LedgerVerifier.VerifyAsync(db);

        Assert.Equal((false, tampered, tampered, heads[(int)tampered - 2]), (report.Intact, report.BrokenAt, report.Events, report.Head));
        Assert.Contains("hash mismatch", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ReportsTheUnsealedEvent_WhenItsRangeIsReadIntoAnEarlierRangesBuffers()
    {
        // On SQLite the ranges' buffers are reused once walked: with two cores the third range of 4,096 is read into
        // the first one's, and nothing the first range left there (its flags, its hashes) may pass for the third's.
        await using var database = await TestDatabase.CreateAsync();
        await using var db = await database.OpenAsync();
        await SealedHistoryAsync(database, db, 9_200);
        await TamperAsync(database, db, "UPDATE \"ConsentEvents\" SET \"Hash\" = NULL WHERE \"Sequence\" = 9100");

        var report = await LedgerVerifier.VerifyAsync(db);

        Assert.Equal((false, 9_100L), (report.Intact, report.BrokenAt));
        Assert.Contains("not sealed", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_ChecksEveryPersonalField_WhenACustomersEvidenceRepeats(TestProvider provider)
    {
        // Identical evidence is hashed once per customer; an edit in any later copy of it must still be caught.
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = await database.OpenAsync();
        await SealedHistoryAsync(database, db, 50);
        await TamperAsync(database, db, "UPDATE \"ConsentEvents\" SET \"UserAgent\" = 'Edited/1.0' WHERE \"Sequence\" = 40");

        var report = await LedgerVerifier.VerifyAsync(db);

        Assert.Equal((false, 40L), (report.Intact, report.BrokenAt));
        Assert.Contains("personal fields", report.Reason, StringComparison.Ordinal);
    }

    /// <summary>A long chain for one customer, sealed and stored directly (the service would fsync each one); returns each event's hash.</summary>
    private static async Task<List<string>> SealedHistoryAsync(TestDatabase database, PreferenceCenterDbContext db, int count)
    {
        var customer = await database.CreateVerifiedCustomerAsync("+447700900103");
        var key = CustomerLedgerKey.Create(customer);
        db.CustomerLedgerKeys.Add(key);
        var hashes = new List<string>(count);
        var previous = LedgerEncoding.Genesis;
        for (var sequence = 1; sequence <= count; sequence++)
        {
            var e = ConsentEvent.Create(sequence, customer, "+447700900103", Purpose.Promotions, sequence % 2 == 1 ? ConsentAction.Granted : ConsentAction.Revoked, database.Clock.GetUtcNow().AddSeconds(sequence), 2, TestDatabase.Evidence(customer));
            e.Seal(key.Key, previous);
            previous = e.Hash!;
            hashes.Add(previous);
            db.ConsentEvents.Add(e);
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return hashes;
    }

    private static async Task<TestDatabase> WithHistoryAsync(TestProvider provider = TestProvider.Sqlite)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var first = await database.CreateVerifiedCustomerAsync("+447700900101");
        var second = await database.CreateVerifiedCustomerAsync("+447700900102");
        foreach (var (customer, purpose, grant) in new[] { (first, Purpose.Promotions, true), (second, Purpose.AccountAlerts, true), (first, Purpose.AccountAlerts, true), (first, Purpose.Promotions, false), (second, Purpose.Promotions, true), (second, Purpose.AccountAlerts, false) })
        {
            database.Clock.Advance(TimeSpan.FromSeconds(7));
            var text = purpose == Purpose.AccountAlerts ? 1 : 2;
            var evidence = TestDatabase.Evidence(customer);
            var result = grant
                ? await database.Consents.GrantAsync(customer, purpose, text, evidence)
                : await database.Consents.RevokeAsync(customer, purpose, text, evidence);
            Assert.Equal(ConsentChangeOutcome.Changed, result.Outcome);
        }

        return database;
    }

    /// <summary>What an attacker with full database access does: switch the append-only triggers off, then change rows.</summary>
    private static async Task TamperAsync(TestDatabase database, PreferenceCenterDbContext db, string sql)
    {
        await database.DisableAppendOnlyTriggersAsync(db);
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}
