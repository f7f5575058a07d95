using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Security;
using PreferenceCenter.Infrastructure.Webhooks;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>
/// Two instances of the app (separate service providers: own connections, appender, dispatcher, clock) on one
/// database doing the same background work at the same moment: nothing is done twice (ADR 19).
/// </summary>
public sealed class TwoInstanceTests
{
    private const int PromotionsText = 2;
    private const string PromotionsNumber = "+447700900002";

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task SecondInstance_RefusesToStart_WhenItsSecretsAreNotTheDatabases(TestProvider provider)
    {
        await using var a = await TestDatabase.CreateAsync(provider);
        var otherKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using (var same = await a.StartSecondInstanceAsync())
        {
            Assert.NotNull(same.Services);
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => a.StartSecondInstanceAsync(new() { ["Secrets:phone-index"] = otherKey }));

        // Started anyway, it would look STOPs up under other keys and text people who said STOP.
        Assert.Contains("Secrets:phone-index is not the key this database was set up with", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(otherKey, refused.Message, StringComparison.Ordinal);
        await using var db = await a.OpenAsync();
        Assert.Equal(KeyFingerprints.Names.Order(), (await db.KeyFingerprints.Select(f => f.Name).ToListAsync()).Order());
    }

    [Fact]
    public async Task Dispatchers_OnTwoInstances_DeliverEachEventOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var a = await TestDatabase.CreateAsync();
        await using var b = await a.StartSecondInstanceAsync();
        await a.Services.GetRequiredService<WebhookSubscribers>().CreateAsync("CRM", receiver.Url(), PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked]);
        for (var i = 0; i < 8; i++)
        {
            var customer = await a.CreateVerifiedCustomerAsync($"+4477009005{i:00}");
            await (i % 2 == 0 ? a : b).Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        }

        var dispatchers = new[] { a.WebhookDispatcher(), b.WebhookDispatcher() };
        await Poll.UntilAsync(
            async () =>
            {
                await Task.WhenAll(dispatchers.Select(d => d.RunOnceAsync(CancellationToken.None)));
                await using var db = await a.OpenAsync();
                return await db.WebhookFanOut.SingleAsync() is { Through: 8 } && await db.WebhookDeliveries.AllAsync(d => d.Status == Domain.Webhooks.WebhookDeliveryStatus.Delivered);
            },
            "every delivery was answered");

        Assert.Equal(8, receiver.Received.Count);
        Assert.Equal(8, receiver.Received.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task StopText_RetriedByTwilioToBothInstancesAtOnce_RevokesOnceAndRepliesOnce()
    {
        Dictionary<string, string?> numbers = new() { ["Sms:SendingNumbers:Promotions"] = PromotionsNumber };
        await using var a = await TestDatabase.CreateAsync(numbers);
        await using var b = await a.StartSecondInstanceAsync();
        var customer = await a.CreateVerifiedCustomerAsync("+447700900123");
        await a.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        var stop = new InboundSmsRequest("SM-both-instances", "+447700900123", PromotionsNumber, "STOP");

        var results = await Task.WhenAll(
            Handle(a.Services.GetRequiredService<InboundSmsService>(), stop),
            Handle(b.Services.GetRequiredService<InboundSmsService>(), stop));

        // The loser either saw the first one's row or hit the unique MessageSid and gets Twilio's retry, a duplicate.
        Assert.Single(results, r => r is { Duplicate: false });
        await Task.WhenAll(a.SendQueuedTextsAsync(), b.SendQueuedTextsAsync());
        await using var db = await a.OpenAsync();
        Assert.Equal(1, await db.ConsentEvents.CountAsync(e => e.Method == ConsentMethod.Sms));
        Assert.Equal(1, await db.SmsOutbox.CountAsync(m => m.ToE164 == "+447700900123" && m.Kind == SmsKind.Confirmation));
        Assert.True((await Handle(b.Services.GetRequiredService<InboundSmsService>(), stop))!.Duplicate);
    }

    [Fact]
    public async Task Grants_RacingFromTwoInstances_AppendOneEvent_SoOneConfirmationIsDue()
    {
        await using var a = await TestDatabase.CreateAsync();
        await using var b = await a.StartSecondInstanceAsync();
        var customer = await a.CreateVerifiedCustomerAsync();

        var results = await Task.WhenAll(
            a.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer)),
            b.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer)));

        // "You're subscribed" is promised only with the append that produced a new event, and both dispatchers
        // moving promises into the queue at once still queue and send it once.
        Assert.Single(results, r => r.Event is not null);
        await using (var promised = await a.OpenAsync())
        {
            Assert.Equal(1, await promised.PendingConfirmations.CountAsync());
        }

        await Task.WhenAll(a.SendQueuedTextsAsync(), b.SendQueuedTextsAsync(), a.SendQueuedTextsAsync(), b.SendQueuedTextsAsync());
        await using var db = await a.OpenAsync();
        Assert.Equal(1, await db.ConsentEvents.CountAsync(e => e.Action == ConsentAction.Granted));
        Assert.Equal(1, await db.QueuedTexts.CountAsync(t => t.GrantSequence != null));
        Assert.Equal(1, await db.SmsOutbox.CountAsync(m => m.Kind == SmsKind.Promotion));
        Assert.False(await db.PendingConfirmations.AnyAsync());
    }

    [Fact]
    public async Task Checkpointers_OnTwoInstances_SignEachHeadOnce()
    {
        await using var a = await TestDatabase.CreateAsync();
        await using var b = await a.StartSecondInstanceAsync();
        var customer = await a.CreateVerifiedCustomerAsync();
        await a.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));

        var signed = await Task.WhenAll(
            a.Services.GetRequiredService<LedgerCheckpointer>().CheckpointAsync(),
            b.Services.GetRequiredService<LedgerCheckpointer>().CheckpointAsync());

        Assert.Single(signed, c => c is not null);
        await using var db = await a.OpenAsync();
        Assert.Equal(1, await db.LedgerCheckpoints.CountAsync());
        Assert.True((await LedgerVerifier.VerifyAsync(db, b.Services.GetRequiredService<LedgerCheckpointer>().Keys)).Intact);
    }

    [Fact]
    public async Task Checkpoints_TheDatabaseRefusesASecondSignatureOfOneHead_WhateverTheProvidersLocking()
    {
        await using var a = await TestDatabase.CreateAsync();
        var customer = await a.CreateVerifiedCustomerAsync();
        await a.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        var checkpointer = a.Services.GetRequiredService<LedgerCheckpointer>();
        Assert.NotNull(await checkpointer.CheckpointAsync());

        await using var db = await a.OpenAsync();
        var head = await db.ConsentEvents.OrderByDescending(e => e.Sequence).FirstAsync();
        db.LedgerCheckpoints.Add(Domain.Ledger.LedgerCheckpoint.Create(head.Sequence, head.Hash!, a.Clock.GetUtcNow(), checkpointer.Key));

        // What a second instance that read the head before the first one's commit would try (the checkpointer then
        // treats the refusal as "already signed").
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Code_SentThroughOneInstance_IsVerifiedThroughTheOther()
    {
        await using var a = await TestDatabase.CreateAsync();
        await using var b = await a.StartSecondInstanceAsync();
        var customer = await a.CreateCustomerAsync();

        var code = await a.SendCodeAndReadItAsync(customer, "+447700900123");
        var result = await b.Verification.VerifyAsync(customer, code, TestDatabase.Evidence(customer));

        Assert.Equal(VerifyOutcome.Verified, result.Outcome);
    }

    private static async Task<InboundSmsResult?> Handle(InboundSmsService service, InboundSmsRequest request)
    {
        try
        {
            return await service.HandleAsync(request);
        }
        catch (DbUpdateException)
        {
            // The unique MessageSid refused the second insert: the webhook answers 500 and Twilio retries.
            return null;
        }
    }
}
