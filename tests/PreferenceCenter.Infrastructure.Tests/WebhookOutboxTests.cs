using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>The outbox row and the consent event commit together or not at all.</summary>
public sealed class WebhookOutboxTests
{
    private const int AlertsText = 1;
    private const int PromotionsText = 2;

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Change_WritesOneOutboxRowPerEvent_InTheSameCommit(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();

        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, AlertsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.RevokeAllAsync(customer, new Dictionary<Purpose, int>(), TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        var events = await db.ConsentEvents.OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.CustomerId, e.Purpose, e.Action }).ToListAsync();
        var outbox = await db.WebhookOutbox.OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.CustomerId, e.Purpose, e.Action }).ToListAsync();
        Assert.Equal(4, events.Count);
        Assert.Equal(events, outbox);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task RolledBackChange_LeavesNoOutboxRow(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();

        await using (var db = await database.OpenAsync())
        {
            // Disposed without a commit: the flow's transaction rolls back with the event in it.
            await using var tx = await database.Services.GetRequiredService<ConsentLedger>().BeginAsync(db, database.Clock.GetUtcNow(), CancellationToken.None);
            var result = await tx.Writer.AppendAsync(customer, Purpose.Promotions, ConsentAction.Granted, "+447700900123", PromotionsText, TestDatabase.Evidence(customer), CancellationToken.None);
            Assert.NotNull(result.Event);
            Assert.Equal(1, await db.WebhookOutbox.CountAsync());
        }

        await using var after = await database.OpenAsync();
        Assert.Equal((0, 0), (await after.ConsentEvents.CountAsync(), await after.WebhookOutbox.CountAsync()));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Change_IsNotCommitted_WhenItsOutboxRowCannotBeWritten(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await using (var db = await database.OpenAsync())
        {
            await database.FailInsertsAsync(db, "WebhookOutbox");
        }

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer)));

        await using var after = await database.OpenAsync();
        Assert.Equal((0, 0), (await after.ConsentEvents.CountAsync(), await after.ConsentStates.CountAsync(s => s.Granted)));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task FailedConsentWrite_WritesNoOutboxRow(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await using (var db = await database.OpenAsync())
        {
            // Another write of the same change fails: the event and its outbox row must both be undone.
            await database.FailInsertsAsync(db, "ConsentStates");
        }

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer)));

        await using var after = await database.OpenAsync();
        Assert.Equal((0, 0), (await after.ConsentEvents.CountAsync(), await after.WebhookOutbox.CountAsync()));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task UnchangedConsent_WritesNoOutboxRow(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();

        await database.Consents.RevokeAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));

        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.WebhookOutbox.CountAsync());
    }
}
