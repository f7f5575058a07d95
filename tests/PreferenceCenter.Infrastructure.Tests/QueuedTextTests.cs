using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Infrastructure.Messaging;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>
/// Texts promised by a change are queued in its transaction and sent by the dispatcher (ADR 0030): a failing
/// provider, a crash or a second instance neither loses one nor sends one twice.
/// </summary>
public sealed class QueuedTextTests
{
    private const string Number = "+447700900123";
    private const string PromotionsNumber = "+447700900002";
    private const int EnglishPromotions = 2;
    private const int SpanishPromotions = 4;

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task StopReply_IsQueuedWithTheRevocationAndSentOnceByALaterRound_WhenTheSenderFails(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, ConsentTextJobTests.Settings);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, EnglishPromotions, TestDatabase.Evidence(customer));
        await database.SendQueuedTextsAsync();
        await using (var db = await database.OpenAsync())
        {
            // The development sender writes here: a refusing table is a provider that errors.
            await database.FailInsertsAsync(db, "SmsOutbox");
        }

        var result = await database.Services.GetRequiredService<InboundSmsService>().HandleAsync(new InboundSmsRequest("SM-fails-1", Number, PromotionsNumber, "STOP"));
        await database.Texts.RunOnceAsync();

        Assert.Equal(1, result.ConsentEvents);
        await using (var db = await database.OpenAsync())
        {
            Assert.False((await db.ConsentStates.SingleAsync(s => s.CustomerId == customer && s.Purpose == Purpose.Promotions)).Granted);
            var reply = await db.QueuedTexts.SingleAsync(t => t.Kind == SmsKind.Confirmation && t.GrantSequence == null);
            Assert.Equal((QueuedTextStatus.Pending, 1, Number, PromotionsNumber), (reply.Status, reply.Attempts, reply.ToE164, reply.FromE164));
            Assert.True(reply.NextAttemptAt > database.Clock.GetUtcNow());
            Assert.Equal(result.Reply, reply.Body);
            await db.Database.ExecuteSqlRawAsync(provider == TestProvider.Postgres ? "DROP TRIGGER \"SmsOutbox_down\" ON \"SmsOutbox\"" : "DROP TRIGGER \"SmsOutbox_down\"");
        }

        await database.SendQueuedTextsAsync();
        Assert.Equal(0, await RepliesToAsync(database, Number));
        database.Clock.Advance(TimeSpan.FromHours(1));
        await database.SendQueuedTextsAsync();
        await database.SendQueuedTextsAsync();

        Assert.Equal(1, await RepliesToAsync(database, Number));
        await using (var db = await database.OpenAsync())
        {
            var reply = await db.QueuedTexts.SingleAsync(t => t.Kind == SmsKind.Confirmation && t.GrantSequence == null);
            Assert.Equal((QueuedTextStatus.Sent, 2), (reply.Status, reply.Attempts));
        }

        Assert.DoesNotContain(database.Logs.Entries.Where(e => e.Category.StartsWith("PreferenceCenter.", StringComparison.Ordinal)), e => e.ToString().Contains("7700900123", StringComparison.Ordinal) || e.ToString().Contains("START to", StringComparison.Ordinal));
        Assert.Contains(database.Logs.Entries, e => e.Category.StartsWith("PreferenceCenter.Infrastructure.Messaging.TextDispatcher", StringComparison.Ordinal) && e.Message.Contains("failed (attempt 1", StringComparison.Ordinal));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task QueuedReply_IsSentByTheNextInstance_WhenTheFirstCrashesAfterCommitBeforeSending(TestProvider provider)
    {
        await using var first = await TestDatabase.CreateAsync(provider, ConsentTextJobTests.Settings);
        await first.Services.GetRequiredService<InboundSmsService>().HandleAsync(new InboundSmsRequest("SM-crash-1", Number, PromotionsNumber, "STOP"));
        Assert.Equal(0, await RepliesToAsync(first, Number));
        await first.CrashAsync();

        await using var next = await first.StartSecondInstanceAsync();
        await next.SendQueuedTextsAsync();
        await next.SendQueuedTextsAsync();

        Assert.Equal(1, await RepliesToAsync(next, Number));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task GrantConfirmation_IsSentByTheNextInstance_WhenTheFirstCrashesAfterTheGrantCommits(TestProvider provider)
    {
        await using var first = await TestDatabase.CreateAsync(provider, ConsentTextJobTests.Settings);
        var customer = await first.CreateVerifiedCustomerAsync(Number);
        var grant = await first.Consents.GrantAsync(customer, Purpose.Promotions, EnglishPromotions, TestDatabase.Evidence(customer));
        await first.CrashAsync();

        await using var next = await first.StartSecondInstanceAsync();
        await next.SendQueuedTextsAsync();

        await using var db = await next.OpenAsync();
        Assert.Equal(grant.Event!.Sequence, (await db.QueuedTexts.SingleAsync(t => t.Status == QueuedTextStatus.Sent)).GrantSequence);
        Assert.Single(await db.SmsOutbox.Where(m => m.ToE164 == Number && m.Kind == SmsKind.Promotion).ToListAsync());
        Assert.False(await db.PendingConfirmations.AnyAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Dispatchers_OnTwoInstancesOfOneDatabase_SendEachQueuedTextOnce(TestProvider provider)
    {
        await using var a = await TestDatabase.CreateAsync(provider, ConsentTextJobTests.Settings);
        await using var b = await a.StartSecondInstanceAsync();
        var numbers = Enumerable.Range(10, 12).Select(i => $"+4477009001{i}").ToList();
        foreach (var number in numbers)
        {
            await a.Services.GetRequiredService<InboundSmsService>().HandleAsync(new InboundSmsRequest($"SM-two-{number}", number, PromotionsNumber, "STOP"));
        }

        bool busy;
        do
        {
            var rounds = await Task.WhenAll(a.Texts.RunOnceAsync(), b.Texts.RunOnceAsync(), a.Texts.RunOnceAsync(), b.Texts.RunOnceAsync());
            busy = rounds.Any(r => r);
        }
        while (busy);

        await using var db = await a.OpenAsync();
        var sent = await db.SmsOutbox.Where(m => m.Kind == SmsKind.Confirmation).Select(m => m.ToE164).ToListAsync();
        Assert.Equal(numbers.Order(), sent.Order());
        Assert.True(await db.QueuedTexts.AllAsync(t => t.Status == QueuedTextStatus.Sent && t.Attempts == 1));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Claims_OfOneDispatcherAtOneInstant_NeverShareARow(TestProvider provider)
    {
        // Two rounds of the same dispatcher under a frozen clock: the second must not read the first one's rows back.
        await using var database = await TestDatabase.CreateAsync(provider, ConsentTextJobTests.Settings);
        foreach (var number in Enumerable.Range(40, 4).Select(i => $"+4477009001{i}"))
        {
            await database.Services.GetRequiredService<InboundSmsService>().HandleAsync(new InboundSmsRequest($"SM-claim-{number}", number, PromotionsNumber, "STOP"));
        }

        var first = await database.Texts.ClaimAsync(2, CancellationToken.None);
        var second = await database.Texts.ClaimAsync(2, CancellationToken.None);

        Assert.Equal(2, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Empty(first.Select(t => t.Id).Intersect(second.Select(t => t.Id)));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Grant_SendsOneConfirmationWithTheManageLinkInTheConsentTextsLanguage_WhenDispatched(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, ConsentTextJobTests.Settings);
        var customer = await database.CreateVerifiedCustomerAsync(Number);

        var grant = await database.Consents.GrantAsync(customer, Purpose.Promotions, SpanishPromotions, TestDatabase.Evidence(customer));
        var again = await database.Consents.GrantAsync(customer, Purpose.Promotions, SpanishPromotions, TestDatabase.Evidence(customer));
        await database.SendQueuedTextsAsync();
        await database.SendQueuedTextsAsync();

        Assert.NotNull(grant.Event);
        Assert.Null(again.Event);
        await using var db = await database.OpenAsync();
        var text = await db.SmsOutbox.SingleAsync(m => m.ToE164 == Number && m.Kind == SmsKind.Promotion);
        Assert.StartsWith("Acme: Te has suscrito a los mensajes promocionales, hasta 4 msjs/mes. ", text.Body, StringComparison.Ordinal);
        Assert.Matches(@"STOP para cancelar\. Gestionar: https://prefs\.example/m/[A-Za-z0-9_-]{20,}$", text.Body);
        Assert.Equal(grant.Event.Sequence, (await db.QueuedTexts.SingleAsync()).GrantSequence);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Grant_SendsNoConfirmation_WhenRevokedBeforeDispatch(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, ConsentTextJobTests.Settings);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, EnglishPromotions, TestDatabase.Evidence(customer));
        await database.Consents.RevokeAsync(customer, Purpose.Promotions, EnglishPromotions, TestDatabase.Evidence(customer));

        await database.SendQueuedTextsAsync();

        await using var db = await database.OpenAsync();
        Assert.False(await db.SmsOutbox.AnyAsync(m => m.Kind == SmsKind.Promotion));
        Assert.False(await db.SignInLinks.AnyAsync(l => l.PhoneE164 == Number));
        Assert.Equal(QueuedTextStatus.Refused, (await db.QueuedTexts.SingleAsync()).Status);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Erase_RemovesQueuedTextsToTheCustomersNumber_AndKeepsOthers(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, ConsentTextJobTests.Settings);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, EnglishPromotions, TestDatabase.Evidence(customer));
        var inbound = database.Services.GetRequiredService<InboundSmsService>();
        await inbound.HandleAsync(new InboundSmsRequest("SM-erase-1", Number, PromotionsNumber, "HELP"));
        await inbound.HandleAsync(new InboundSmsRequest("SM-erase-2", "+447700900124", PromotionsNumber, "STOP"));

        await database.Services.GetRequiredService<ICustomerErasure>().EraseAsync(customer);

        await using var db = await database.OpenAsync();
        Assert.Equal(["+447700900124"], await db.QueuedTexts.Select(t => t.ToE164).ToListAsync());
        Assert.False(await db.PendingConfirmations.AnyAsync());
    }

    private static async Task<int> RepliesToAsync(TestDatabase database, string number)
    {
        await using var db = await database.OpenAsync();
        return await db.SmsOutbox.CountAsync(m => m.ToE164 == number && m.Kind == SmsKind.Confirmation);
    }
}
