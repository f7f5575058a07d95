using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;

namespace PreferenceCenter.Infrastructure.Tests;

public class CustomerErasureTests
{
    private const string Number = "+447700900123";

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Erase_RemovesPersonalData_WhileTheLedgerStillVerifiesAndKeepsTheFacts(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        var bystander = await database.CreateVerifiedCustomerAsync("+447700900124");
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(bystander, Purpose.Promotions, 2, TestDatabase.Evidence(bystander));

        var report = await Erasure(database).EraseAsync(customer);

        Assert.Equal((false, 2, 4), (report.AlreadyErased, report.ConsentsRevoked, report.EventsErased));
        await using var db = await database.OpenAsync();
        var events = await db.ConsentEvents.AsNoTracking().Where(e => e.CustomerId == customer).OrderBy(e => e.Sequence).ToListAsync();
        Assert.All(events, e => Assert.Equal((string.Empty, (string?)null, (string?)null), (e.PhoneE164, e.IpAddress, e.UserAgent)));
        Assert.Equal(
            [(Purpose.AccountAlerts, ConsentAction.Granted, 1), (Purpose.Promotions, ConsentAction.Granted, 2), (Purpose.AccountAlerts, ConsentAction.Revoked, 1), (Purpose.Promotions, ConsentAction.Revoked, 2)],
            events.Select(e => (e.Purpose, e.Action, e.ConsentTextId)));
        Assert.All(events.TakeLast(2), e => Assert.Equal(ConsentReasons.AccountDeleted, e.Reason));
        Assert.False(await db.CustomerLedgerKeys.AnyAsync(k => k.CustomerId == customer));
        Assert.False(await db.CustomerPhones.AnyAsync(p => p.CustomerId == customer));
        Assert.False(await db.VerificationChallenges.AnyAsync(c => c.CustomerId == customer));
        Assert.False(await db.SmsOutbox.AnyAsync(m => m.ToE164 == Number));
        Assert.True(await db.SmsOutbox.AnyAsync(m => m.ToE164 == "+447700900124"));
        Assert.All(await db.ConsentStates.Where(s => s.CustomerId == customer).ToListAsync(), s => Assert.Equal((false, string.Empty), (s.Granted, s.PhoneE164)));
        Assert.NotNull((await db.Customers.SingleAsync(c => c.Id == customer)).ErasedAt);
        Assert.Null((await db.Customers.SingleAsync(c => c.Id == customer)).UserId);
        var verified = await LedgerVerifier.VerifyAsync(db);
        Assert.True(verified.Intact, verified.Summary);
        Assert.Equal(5, verified.Events);

        // Not just unreachable: on SQLite the number's bytes are gone from the database file and its WAL
        // (secure_delete); PostgreSQL keeps old row versions until vacuum reclaims them (ADR 0018).
        if (provider == TestProvider.Sqlite)
        {
            Assert.DoesNotContain(Number["+44".Length..], RawText(database.DatabasePath), StringComparison.Ordinal);
            Assert.Contains("7700900124", RawText(database.DatabasePath), StringComparison.Ordinal);
        }
    }

    private static string RawText(string databasePath)
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in new[] { databasePath, databasePath + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            text.Append(System.Text.Encoding.Latin1.GetString(memory.ToArray()));
        }

        return text.ToString();
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Erase_KeepsAStopHonouredByKeyedHash_UntilAFreshVerifiedOptIn(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        var inbound = database.Services.GetRequiredService<InboundSmsService>();
        var options = database.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SmsOptions>>().Value;
        await inbound.HandleAsync(new InboundSmsRequest("SM0001", Number, options.SendingNumberFor(Purpose.Promotions) ?? "+15005550006", "STOP"));

        await Erasure(database).EraseAsync(customer);

        await using (var db = await database.OpenAsync())
        {
            Assert.False(await db.SmsSuppressions.AnyAsync(s => s.PhoneE164 == Number));
            Assert.False(await db.InboundSms.AnyAsync(m => m.FromE164 == Number || m.Body.Contains("STOP")));
            Assert.True(await db.SmsSuppressions.AnyAsync(s => s.PhoneE164 == string.Empty && s.LiftedAt == null));
        }

        // Someone with that number later: still refused until they verify and opt in themselves.
        var gateway = database.Services.GetRequiredService<ISmsGateway>();
        var newcomer = await database.CreateVerifiedCustomerAsync(Number);
        Assert.False(await gateway.CanSendAsync(Number, Purpose.Promotions));
        await database.Consents.GrantAsync(newcomer, Purpose.Promotions, 2, TestDatabase.Evidence(newcomer));
        Assert.True(await gateway.CanSendAsync(Number, Purpose.Promotions));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Erase_DoesNothingMore_WhenTheCustomerIsAlreadyErased(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        await Erasure(database).EraseAsync(customer);

        var again = await Erasure(database).EraseAsync(customer);

        Assert.True(again.AlreadyErased);
        await using var db = await database.OpenAsync();
        Assert.Equal(2, await db.ConsentEvents.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Trigger_RefusesAnyOtherEditOfPersonalFields_WhileAllowingErasure(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        await using var db = await database.OpenAsync();

        var swap = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("""UPDATE "ConsentEvents" SET "PhoneE164" = '+447700900999';"""));
        var partial = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("""UPDATE "ConsentEvents" SET "PhoneE164" = '';"""));
        var fact = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("""UPDATE "ConsentEvents" SET "PhoneE164" = '', "IpAddress" = NULL, "UserAgent" = NULL, "Action" = 'Revoked';"""));
        var erased = await db.Database.ExecuteSqlRawAsync("""UPDATE "ConsentEvents" SET "PhoneE164" = '', "IpAddress" = NULL, "UserAgent" = NULL;""");

        Assert.All([swap, partial, fact], e => Assert.Contains("append-only", e.Message, StringComparison.Ordinal));
        Assert.Equal(1, erased);
    }

    private static ICustomerErasure Erasure(TestDatabase database) => database.Services.GetRequiredService<ICustomerErasure>();
}
