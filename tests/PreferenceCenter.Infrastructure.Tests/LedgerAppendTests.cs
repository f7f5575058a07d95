using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Ledger;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>The ledger's SQL append (ADR 0011): what it writes is exactly what EF reads, and appends stay linear.</summary>
public sealed class LedgerAppendTests
{
    private const int AlertsText = 1;
    private const int PromotionsText = 2;

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Append_ReadsBackThroughEfFieldForField_WhenWrittenWithSql(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123");
        var evidence = new ConsentEvidence(ConsentMethod.Web, $"customer:{customer}", "203.0.113.7", "Browser\\with\nnewline", "es-ES", "a reason", "https://prefs.example.test");

        var written = (await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, evidence)).Event!;

        await using var db = await database.OpenAsync();
        var read = await db.ConsentEvents.AsNoTracking().SingleAsync(e => e.Sequence == written.Sequence);
        Assert.Equivalent(written, read, strict: true);
        Assert.Equal(await db.ConsentTexts.Where(t => t.Id == PromotionsText).Select(t => t.Label + "\n" + t.Body).SingleAsync(), (await db.ConsentTexts.SingleAsync(t => t.Id == PromotionsText)).RenderedText);
        Assert.Equal((await db.ConsentTexts.SingleAsync(t => t.Id == PromotionsText)).TextSha256, read.TextSha256);
        Assert.Equal(read.Hash, LedgerEncoding.Hash(read, read.PersonalDigest!, read.PreviousHash!));

        var state = await db.ConsentStates.AsNoTracking().SingleAsync(s => s.CustomerId == customer && s.Purpose == Purpose.Promotions);
        Assert.Equivalent(ConsentState.Replay([read])[(customer, Purpose.Promotions)], state, strict: true);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Appends_StayOneLinearChain_WhenManyCircuitsWriteAtOnce(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customers = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            customers.Add(await database.CreateVerifiedCustomerAsync($"+44770090012{i}"));
        }

        // Each customer flips both purposes 10 times from its own task; every call is a real change.
        var writers = customers.Select(customer => Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                foreach (var (purpose, text) in new[] { (Purpose.AccountAlerts, AlertsText), (Purpose.Promotions, PromotionsText) })
                {
                    var result = round % 2 == 0
                        ? await database.Consents.GrantAsync(customer, purpose, text, TestDatabase.Evidence(customer))
                        : await database.Consents.RevokeAsync(customer, purpose, text, TestDatabase.Evidence(customer));
                    Assert.Equal(ConsentChangeOutcome.Changed, result.Outcome);
                }
            }
        }));
        await Task.WhenAll(writers);

        await using var db = await database.OpenAsync();
        Assert.Equal(Enumerable.Range(1, 80).Select(i => (long)i), await db.ConsentEvents.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync());
        var report = await LedgerVerifier.VerifyAsync(db);
        Assert.True(report.Intact, report.Summary);
        var replay = ConsentState.Replay(await db.ConsentEvents.AsNoTracking().ToListAsync());
        foreach (var state in await db.ConsentStates.AsNoTracking().ToListAsync())
        {
            Assert.Equivalent(replay[(state.CustomerId, state.Purpose)], state, strict: true);
        }
    }

    [Fact]
    public async Task Appends_StayOneLinearChain_WhenTwoInstancesWriteAtOnce_OnPostgres()
    {
        // Two app instances on one PostgreSQL database: each has its own appender, connection and in-process gate,
        // so only the advisory write lock stands between them and two events claiming the same place in the chain.
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres);
        await using var other = await database.StartSecondInstanceAsync();
        var instances = new[] { database.Consents, other.Consents };
        var customers = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            customers.Add(await database.CreateVerifiedCustomerAsync($"+44770090013{i}"));
        }

        // Every customer is changed from both instances at once, each instance on its own tasks.
        var writers = customers.SelectMany(customer => instances.Select((consents, n) => Task.Run(async () =>
        {
            var (purpose, text) = n == 0 ? (Purpose.AccountAlerts, AlertsText) : (Purpose.Promotions, PromotionsText);
            for (var round = 0; round < 8; round++)
            {
                var result = round % 2 == 0
                    ? await consents.GrantAsync(customer, purpose, text, TestDatabase.Evidence(customer))
                    : await consents.RevokeAsync(customer, purpose, text, TestDatabase.Evidence(customer));
                Assert.Equal(ConsentChangeOutcome.Changed, result.Outcome);
            }
        })));
        await Task.WhenAll(writers);

        await using var db = await database.OpenAsync();
        var chain = await db.ConsentEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), chain.Select(e => e.Sequence));
        Assert.All(chain.Skip(1).Zip(chain), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        var report = await LedgerVerifier.VerifyAsync(db);
        Assert.True(report.Intact, report.Summary);
        var replay = ConsentState.Replay(chain);
        foreach (var state in await db.ConsentStates.AsNoTracking().ToListAsync())
        {
            Assert.Equivalent(replay[(state.CustomerId, state.Purpose)], state, strict: true);
        }
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Append_QueuesBehindTheWriteLock_WhenAnotherConnectionHoldsIt(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        var cancellationToken = TestContext.Current.CancellationToken;

        // An SMS keyword or another process writing (BEGIN IMMEDIATE): the append waits for it, then chains after it.
        Task<ConsentChangeResult> grant;
        await using (var other = await database.OpenAsync())
        {
            await using var tx = await other.Database.BeginTransactionAsync(cancellationToken);
            grant = Task.Run(() => database.Consents.GrantAsync(customer, Purpose.AccountAlerts, AlertsText, TestDatabase.Evidence(customer), cancellationToken), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        Assert.Equal(ConsentChangeOutcome.Changed, (await grant).Outcome);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Reads_DoNotWait_WhenAnAppendHoldsTheWriteLock(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, AlertsText, TestDatabase.Evidence(customer));
        var ledger = database.Services.GetRequiredService<ConsentLedger>();

        // Inside the append's write transaction, the preferences page's read still answers (with the committed state).
        var seenDuringAppend = await ledger.AppendAsync(
            async writer =>
            {
                await writer.ChangeAsync(customer, Purpose.AccountAlerts, ConsentAction.Revoked, AlertsText, TestDatabase.Evidence(customer), CancellationToken.None);
                return await database.Consents.GetStatesAsync(customer);
            },
            CancellationToken.None);

        Assert.True(seenDuringAppend.Single(s => s.Purpose == Purpose.AccountAlerts).Granted);
        Assert.False((await database.Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.AccountAlerts).Granted);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Append_RollsBackEverything_WhenTheCallFails(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        var ledger = database.Services.GetRequiredService<ConsentLedger>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.AppendAsync<ConsentChangeResult>(
            async writer =>
            {
                await writer.ChangeAsync(customer, Purpose.AccountAlerts, ConsentAction.Granted, AlertsText, TestDatabase.Evidence(customer), CancellationToken.None);
                throw new InvalidOperationException("the caller failed after the append");
            },
            CancellationToken.None));

        await using (var db = await database.OpenAsync())
        {
            Assert.Equal(0, await db.ConsentEvents.CountAsync());
            Assert.Equal(0, await db.ConsentStates.CountAsync());
        }

        // The connection is still good for the next append, which takes sequence 1.
        var next = await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, AlertsText, TestDatabase.Evidence(customer));
        Assert.Equal(1, next.Event!.Sequence);
    }
}
