using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Webhooks;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Webhooks;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>The ledger is the webhook outbox (ADR 0011, 0040): every committed event is fanned out once, nothing else is.</summary>
public sealed class WebhookFanOutTests
{
    private const int AlertsText = 1;
    private const int PromotionsText = 2;

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task FanOut_QueuesOneDeliveryPerCommittedEvent_InSequenceOrder_AndMovesTheCursorToTheHead(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var subscriber = await SubscribeToEverythingAsync(database);
        var customer = await database.CreateVerifiedCustomerAsync();

        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, AlertsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.RevokeAllAsync(customer, new Dictionary<Purpose, int>(), TestDatabase.Evidence(customer));

        Assert.Equal(4, await database.WebhookDispatcher().FanOutAsync(CancellationToken.None));

        await using var db = await database.OpenAsync();
        var events = await db.ConsentEvents.OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.CustomerId }).ToListAsync();
        var deliveries = await db.WebhookDeliveries.Where(d => d.SubscriberId == subscriber).OrderBy(d => d.Sequence).Select(d => new { d.Sequence, d.CustomerId }).ToListAsync();
        Assert.Equal(4, events.Count);
        Assert.Equal(events, deliveries);
        Assert.Equal(4, (await db.WebhookFanOut.SingleAsync()).Through);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task RolledBackChange_IsNeverFannedOut_AndTheNextCommittedOneIs(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var subscriber = await SubscribeToEverythingAsync(database);
        var customer = await database.CreateVerifiedCustomerAsync();

        await using (var db = await database.OpenAsync())
        {
            // Disposed without a commit: the flow's transaction rolls back with the event in it.
            await using var tx = await database.Services.GetRequiredService<ConsentLedger>().BeginAsync(db, database.Clock.GetUtcNow(), CancellationToken.None);
            var result = await tx.Writer.AppendAsync(customer, Purpose.Promotions, ConsentAction.Granted, "+447700900123", PromotionsText, TestDatabase.Evidence(customer), CancellationToken.None);
            Assert.NotNull(result.Event);
        }

        Assert.Equal(0, await database.WebhookDispatcher().FanOutAsync(CancellationToken.None));
        var committed = await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        Assert.Equal(1, await database.WebhookDispatcher().FanOutAsync(CancellationToken.None));

        await using var after = await database.OpenAsync();
        Assert.Equal([committed.Event!.Sequence], await after.WebhookDeliveries.Where(d => d.SubscriberId == subscriber).Select(d => d.Sequence).ToListAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task FailedConsentWrite_LeavesNothingToFanOut(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await SubscribeToEverythingAsync(database);
        var customer = await database.CreateVerifiedCustomerAsync();
        await using (var db = await database.OpenAsync())
        {
            // Another write of the same change fails: the event goes with it.
            await database.FailInsertsAsync(db, "ConsentStates");
        }

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer)));

        Assert.Equal(0, await database.WebhookDispatcher().FanOutAsync(CancellationToken.None));
        await using var after = await database.OpenAsync();
        Assert.Equal((0, 0), (await after.ConsentEvents.CountAsync(), await after.WebhookDeliveries.CountAsync()));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task UnchangedConsent_IsNotFannedOut(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await SubscribeToEverythingAsync(database);
        var customer = await database.CreateVerifiedCustomerAsync();

        await database.Consents.RevokeAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));

        Assert.Equal(1, await database.WebhookDispatcher().FanOutAsync(CancellationToken.None));
        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.WebhookDeliveries.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task FanOut_FromTwoInstancesAtOnce_QueuesEachEventOnce(TestProvider provider)
    {
        await using var a = await TestDatabase.CreateAsync(provider);
        await using var b = await a.StartSecondInstanceAsync();
        await SubscribeToEverythingAsync(a);
        for (var i = 0; i < 6; i++)
        {
            var customer = await a.CreateVerifiedCustomerAsync($"+4477009006{i:00}");
            await (i % 2 == 0 ? a : b).Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        }

        var taken = await Task.WhenAll(a.WebhookDispatcher().FanOutAsync(CancellationToken.None), b.WebhookDispatcher().FanOutAsync(CancellationToken.None));

        Assert.Equal(6, taken.Sum());
        await using var db = await a.OpenAsync();
        Assert.Equal([1L, 2, 3, 4, 5, 6], await db.WebhookDeliveries.OrderBy(d => d.Sequence).Select(d => d.Sequence).ToListAsync());
    }

    private static async Task<Guid> SubscribeToEverythingAsync(TestDatabase database) =>
        (await database.Services.GetRequiredService<WebhookSubscribers>().CreateAsync("CRM", "https://crm.example/h", PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked])).Subscriber.Id;
}
