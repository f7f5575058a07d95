using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Webhooks;
using PreferenceCenter.Infrastructure.Webhooks;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>Fan-out, claiming and ordering on a real database, with the clock held still (nothing is sent here).</summary>
public sealed class WebhookDispatcherTests
{
    private const int AlertsText = 1;
    private const int PromotionsText = 2;

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task FanOut_QueuesOneDeliveryPerEventTheSubscriberWants_AndEmptiesTheOutbox(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var subscribers = database.Services.GetRequiredService<WebhookSubscribers>();
        var everything = await subscribers.CreateAsync("All", "https://all.example/h", PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked]);
        var optOuts = await subscribers.CreateAsync("Promotion opt-outs", "https://optouts.example/h", [Purpose.Promotions], [ConsentAction.Revoked]);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, AlertsText, TestDatabase.Evidence(customer));
        await database.Consents.RevokeAsync(customer, Purpose.AccountAlerts, AlertsText, TestDatabase.Evidence(customer));
        await database.Consents.RevokeAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));

        Assert.Equal(4, await database.WebhookDispatcher().FanOutAsync(CancellationToken.None));
        Assert.Equal(0, await database.WebhookDispatcher().FanOutAsync(CancellationToken.None));

        await using var db = await database.OpenAsync();
        Assert.Equal(4, (await db.WebhookFanOut.SingleAsync()).Through);
        Assert.Equal([1L, 2, 3, 4], await SequencesOf(db, everything.Subscriber.Id));
        Assert.Equal([4L], await SequencesOf(db, optOuts.Subscriber.Id));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Claim_TakesOnlyTheEarliestPendingDeliveryOfEachCustomer(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var subscriber = await database.Services.GetRequiredService<WebhookSubscribers>().CreateAsync("CRM", "https://crm.example/h", PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked]);
        var alice = await database.CreateVerifiedCustomerAsync("+447700900201");
        var bob = await database.CreateVerifiedCustomerAsync("+447700900202");
        await database.Consents.GrantAsync(alice, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(alice));
        await database.Consents.GrantAsync(bob, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(bob));
        await database.Consents.RevokeAsync(alice, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(alice));
        var dispatcher = database.WebhookDispatcher();
        await dispatcher.FanOutAsync(CancellationToken.None);

        var claimed = await dispatcher.ClaimAsync(10, CancellationToken.None);

        Assert.Equal([1L, 2], claimed.Select(c => c.Event.Sequence));
        Assert.All(claimed, c => Assert.Equal(subscriber.Subscriber.Id, c.Subscriber.Id));
        Assert.Empty(await dispatcher.ClaimAsync(10, CancellationToken.None));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Claim_NeverHandsTheSameDeliveryToTwoDispatchers_UntilTheLeaseRunsOut(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.Services.GetRequiredService<WebhookSubscribers>().CreateAsync("CRM", "https://crm.example/h", PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked]);
        for (var i = 0; i < 6; i++)
        {
            var customer = await database.CreateVerifiedCustomerAsync($"+4477009003{i:00}");
            await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        }

        var first = database.WebhookDispatcher();
        var second = database.WebhookDispatcher();
        await first.FanOutAsync(CancellationToken.None);

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).ClaimAsync(2, CancellationToken.None)));
        var ids = claims.SelectMany(c => c.Select(x => x.DeliveryId)).ToList();
        Assert.Equal(6, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Empty(await second.ClaimAsync(10, CancellationToken.None));

        // A dispatcher that died holding leases: after the lease, another one takes its deliveries over.
        database.Clock.Advance(new WebhookOptions().LeaseDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(6, (await second.ClaimAsync(10, CancellationToken.None)).Count);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Claim_SkipsPausedSubscribers_AndTheirDeliveriesWait(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var subscribers = database.Services.GetRequiredService<WebhookSubscribers>();
        var created = await subscribers.CreateAsync("CRM", "https://crm.example/h", PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked]);
        await subscribers.SetActiveAsync(created.Subscriber.Id, active: false);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        var dispatcher = database.WebhookDispatcher();
        await dispatcher.FanOutAsync(CancellationToken.None);

        Assert.Empty(await dispatcher.ClaimAsync(10, CancellationToken.None));
        await subscribers.SetActiveAsync(created.Subscriber.Id, active: true);
        Assert.Single(await dispatcher.ClaimAsync(10, CancellationToken.None));
    }


    private static Task<List<long>> SequencesOf(Persistence.PreferenceCenterDbContext db, Guid subscriberId) =>
        db.WebhookDeliveries.Where(d => d.SubscriberId == subscriberId && d.Status == WebhookDeliveryStatus.Pending).OrderBy(d => d.Sequence).Select(d => d.Sequence).ToListAsync();
}
