using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Tests;

public sealed class ConsentServiceTests
{
    private const int AlertsText = 1;
    private const int PromotionsText = 2;

    [Fact]
    public async Task History_NumbersChangesPerCustomer_WhenMoreThanOnePageExists()
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync("+447700900129");
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.RevokeAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));

        var page = await database.Consents.GetHistoryAsync(customer, take: 2);
        var all = await database.Consents.GetHistoryAsync(customer);

        Assert.Equal([3, 2], page.Select(i => i.Number));
        Assert.Equal([3, 2, 1], all.Select(i => i.Number));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Grant_AppendsOneEventWithEvidence_WhenNumberIsVerified(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123");

        var result = await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));

        Assert.Equal(ConsentChangeOutcome.Changed, result.Outcome);
        await using var db = await database.OpenAsync();
        var e = await db.ConsentEvents.SingleAsync();
        Assert.Equal((customer, "+447700900123", Purpose.Promotions, ConsentAction.Granted), (e.CustomerId, e.PhoneE164, e.Purpose, e.Action));
        Assert.Equal((1L, PromotionsText, "web", "203.0.113.7", "TestBrowser/1.0", "en-GB"), (e.Sequence, e.ConsentTextId, e.Method, e.IpAddress, e.UserAgent, e.Locale));
        Assert.Equal($"customer:{customer}", e.Actor);
        Assert.Equal(database.Clock.GetUtcNow(), e.OccurredAt);
        Assert.Equal(TimeSpan.Zero, e.OccurredAt.Offset);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Grant_LogsNothing_WhenAlreadyGranted(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));

        var again = await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));

        Assert.Equal(ConsentChangeOutcome.Unchanged, again.Outcome);
        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.ConsentEvents.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Revoke_LogsNothing_WhenNeverGranted(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();

        var result = await database.Consents.RevokeAsync(customer, Purpose.AccountAlerts, AlertsText, TestDatabase.Evidence(customer));

        Assert.Equal(ConsentChangeOutcome.Unchanged, result.Outcome);
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.ConsentEvents.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Grant_IsRefusedAndLogsNothing_WhenNoNumberIsVerified(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateCustomerAsync();

        var result = await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));

        Assert.Equal(ConsentChangeOutcome.NoVerifiedNumber, result.Outcome);
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.ConsentEvents.CountAsync());
        Assert.Equal(0, await db.ConsentStates.CountAsync());
    }

    [Theory]
    [InlineData(AlertsText)]
    [InlineData(999)]
    public async Task Grant_IsRefusedAndLogsNothing_WhenTextIsNotThePurposes(int textId)
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync();

        var result = await database.Consents.GrantAsync(customer, Purpose.Promotions, textId, TestDatabase.Evidence(customer));

        Assert.Equal(ConsentChangeOutcome.UnknownText, result.Outcome);
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.ConsentEvents.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Grant_LogsExactlyOneEvent_WhenTwoTabsRace(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();

        // Eight "tabs" tick the same box at the same moment.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer)))));

        Assert.Single(results, r => r.Outcome == ConsentChangeOutcome.Changed);
        Assert.All(results, r => Assert.True(r.Succeeded));
        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.ConsentEvents.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task RevokeAll_RevokesEveryActiveConsentInOneStep_WithStopAllReason(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        var evidence = TestDatabase.Evidence(customer);
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, AlertsText, evidence);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, evidence);

        var results = await database.Consents.RevokeAllAsync(customer, new Dictionary<Purpose, int> { [Purpose.AccountAlerts] = AlertsText, [Purpose.Promotions] = PromotionsText }, evidence.WithReason(ConsentReasons.StopAll));

        Assert.Equal(2, results.Count(r => r.Outcome == ConsentChangeOutcome.Changed));
        Assert.All(await database.Consents.GetStatesAsync(customer), s => Assert.False(s.Granted));
        var history = await database.Consents.GetHistoryAsync(customer);
        Assert.Equal([4L, 3L, 2L, 1L], history.Select(h => h.Sequence));
        Assert.All(history.Take(2), h => Assert.Equal((ConsentAction.Revoked, ConsentReasons.StopAll), (h.Action, h.Reason)));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Projection_EqualsReplayOfTheLog_AfterManyChangesByManyCustomers(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var random = new Random(20261123);
        var customers = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            customers.Add(await database.CreateVerifiedCustomerAsync($"+4477009001{i:00}"));
        }

        for (var step = 0; step < 60; step++)
        {
            var customer = customers[random.Next(customers.Count)];
            var purpose = random.Next(2) == 0 ? Purpose.AccountAlerts : Purpose.Promotions;
            var text = purpose == Purpose.AccountAlerts ? AlertsText : PromotionsText;
            var evidence = TestDatabase.Evidence(customer);
            database.Clock.Advance(TimeSpan.FromSeconds(random.Next(1, 120)));
            var roll = random.Next(5);
            if (roll == 0)
            {
                await database.Consents.RevokeAllAsync(customer, new Dictionary<Purpose, int>(), evidence);
            }
            else if (roll <= 2)
            {
                await database.Consents.GrantAsync(customer, purpose, text, evidence);
            }
            else
            {
                await database.Consents.RevokeAsync(customer, purpose, text, evidence);
            }
        }

        await using var db = await database.OpenAsync();
        var events = await db.ConsentEvents.AsNoTracking().ToListAsync();
        var replayed = ConsentState.Replay(events);
        var projected = await db.ConsentStates.AsNoTracking().ToListAsync();
        Assert.Equal(replayed.Count, projected.Count);
        foreach (var state in projected)
        {
            var expected = replayed[(state.CustomerId, state.Purpose)];
            Assert.Equal((expected.Granted, expected.LastSequence, expected.LastEventId, expected.PhoneE164), (state.Granted, state.LastSequence, state.LastEventId, state.PhoneE164));
        }

        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence).Order());
    }
}
