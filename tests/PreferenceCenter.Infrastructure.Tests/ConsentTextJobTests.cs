using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Infrastructure.ConsentTexts;
using static PreferenceCenter.Infrastructure.Tests.ConsentTextVersionTests;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>The re-confirmation job (#10): deadline lapses by the system, alerts never lapse, the SMS notice once.</summary>
public sealed partial class ConsentTextJobTests
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["ConsentTexts:PreferencesUrl"] = "https://prefs.example/preferences",
        ["Sms:BusinessName"] = "Acme",
        ["Sms:SendingNumbers:Promotions"] = "+447700900002",
    };

    private const string Number = "+447700900123";

    [Fact]
    public async Task Deadline_LapsesUnconfirmedPromotionsBySystemWithTheReason_OnlyOnceItHasPassed()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(customer));
        var deadline = database.Clock.GetUtcNow().AddDays(14);
        var v2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "Offers and partner deals.", deadline: deadline);
        var job = database.Services.GetRequiredService<ReconfirmationJob>();

        database.Clock.Advance(TimeSpan.FromDays(14) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await job.RunOnceAsync(CancellationToken.None)).Lapsed);
        Assert.True((await database.Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions).Granted);

        database.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await job.RunOnceAsync(CancellationToken.None)).Lapsed);
        Assert.Equal(0, (await job.RunOnceAsync(CancellationToken.None)).Lapsed);

        var lapse = (await database.Consents.GetHistoryAsync(customer))[0];
        Assert.Equal((ConsentAction.Revoked, ConsentMethod.System, "system", "not reconfirmed after change", v2.Id), (lapse.Action, lapse.Method, lapse.Actor, lapse.Reason, lapse.ConsentTextId));
        Assert.Equal(deadline, lapse.OccurredAt);
        Assert.False((await database.Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions).Granted);

        // The agent's timeline shows it too.
        var detail = await database.StaffConsole.ViewCustomerAsync(customer, new StaffMember("agent-1", "agent@example.test", "198.51.100.1"));
        Assert.Contains(detail!.Timeline, t => t.Reason == ConsentReasons.NotReconfirmed && t.Actor == "system" && t.Purpose == Purpose.Promotions);
    }

    [Fact]
    public async Task Deadline_SparesCustomersWhoKeptOrWithdrew()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var keeper = await database.CreateVerifiedCustomerAsync("+447700900501");
        await database.Consents.GrantAsync(keeper, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(keeper));
        await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "More.", deadline: database.Clock.GetUtcNow().AddDays(1));
        var pending = database.Services.GetRequiredService<PendingChanges>();
        await pending.KeepAsync(keeper, (await pending.ForCustomerAsync(keeper))[0], TestDatabase.Evidence(keeper));

        database.Clock.Advance(TimeSpan.FromDays(2));
        var run = await database.Services.GetRequiredService<ReconfirmationJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, run.Lapsed);
        Assert.True((await database.Consents.GetStatesAsync(keeper)).Single(s => s.Purpose == Purpose.Promotions).Granted);
    }

    [Fact]
    public async Task AccountAlerts_NeverLapse_EvenWhenAStoredMaterialVersionCarriesAPastDeadline()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, AlertsV1, TestDatabase.Evidence(customer));

        // The admin page and the draft rules refuse such a deadline; a row written around them is still ignored.
        await using (var db = await database.OpenAsync())
        {
            var past = database.Clock.GetUtcNow().AddDays(-1).UtcTicks;
            await RawSqlAsync(db, 
                "INSERT INTO \"ConsentTexts\" (\"Id\", \"Purpose\", \"Language\", \"Version\", \"Label\", \"Body\", \"PublishedAt\", \"Kind\", \"Status\", \"ChangeSummary\", \"ReconfirmBy\") " +
                $"VALUES (50, 'AccountAlerts', 'en', 2, 'Account alerts', 'Alerts, now with delivery updates.', {past}, 'Material', 'Published', 'Delivery updates.', {past})");
        }

        database.Clock.Advance(TimeSpan.FromDays(30));
        var run = await database.Services.GetRequiredService<ReconfirmationJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, run.Lapsed);
        Assert.True((await database.Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.AccountAlerts).Granted);
        var pending = Assert.Single(await database.Services.GetRequiredService<PendingChanges>().ForCustomerAsync(customer));
        Assert.Null(pending.LapsesAt);
    }

    [Fact]
    public async Task SmsNotice_SentExactlyOnce_WhenTheJobRunsTwice()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(customer));
        var v2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "More offers.");
        var job = database.Services.GetRequiredService<ReconfirmationJob>();

        Assert.Equal(1, (await job.RunOnceAsync(CancellationToken.None)).Notified);
        Assert.Equal(0, (await job.RunOnceAsync(CancellationToken.None)).Notified);

        // A new instance (a restart) finds the record and sends nothing either.
        var restarted = ActivatorUtilities.CreateInstance<ReconfirmationJob>(database.Services);
        database.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await restarted.RunOnceAsync(CancellationToken.None)).Notified);

        var notice = Assert.Single(await NoticesToAsync(database, Number));
        Assert.Equal("Acme: our terms for promotional texts changed. Keep or stop them: https://prefs.example/m/{token} STOP to opt out.", notice);
        await using var db = await database.OpenAsync();
        var record = await db.TextChangeNotices.SingleAsync();
        Assert.Equal((customer, v2.Id, TextChangeNoticeOutcome.Sent), (record.CustomerId, record.ConsentTextId, record.Outcome));
    }

    [Fact]
    public async Task SmsNotice_SentOncePerCustomer_WhenTwoInstancesRace()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var numbers = Enumerable.Range(0, 6).Select(i => $"+44770090060{i}").ToList();
        foreach (var number in numbers)
        {
            var c = await database.CreateVerifiedCustomerAsync(number);
            await database.Consents.GrantAsync(c, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(c));
        }

        await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "More offers.");
        var a = ActivatorUtilities.CreateInstance<ReconfirmationJob>(database.Services);
        var b = ActivatorUtilities.CreateInstance<ReconfirmationJob>(database.Services);

        var runs = await Task.WhenAll(Task.Run(() => a.RunOnceAsync(CancellationToken.None)), Task.Run(() => b.RunOnceAsync(CancellationToken.None)));

        Assert.Equal(6, runs.Sum(r => r.Notified));
        foreach (var number in numbers)
        {
            Assert.Single(await NoticesToAsync(database, number));
        }
    }

    [Fact]
    public async Task SmsNotice_ClaimHoldsAgainstASecondSender_EvenWithoutTheLease()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(customer));
        await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "More offers.");
        var a = ActivatorUtilities.CreateInstance<ReconfirmationJob>(database.Services);
        var b = ActivatorUtilities.CreateInstance<ReconfirmationJob>(database.Services);
        Assert.Equal(1, (await a.RunOnceAsync(CancellationToken.None)).Notified);

        // a's lease runs out; b takes over and must still not text again.
        database.Clock.Advance(TimeSpan.FromMinutes(10));
        var run = await b.RunOnceAsync(CancellationToken.None);

        Assert.True(run.Leased);
        Assert.Equal(0, run.Notified);
        Assert.Single(await NoticesToAsync(database, Number));
    }

    [Fact]
    public async Task Lease_HeldByOneInstance_UntilItRunsOut()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var a = ActivatorUtilities.CreateInstance<ReconfirmationJob>(database.Services);
        var b = ActivatorUtilities.CreateInstance<ReconfirmationJob>(database.Services);

        Assert.True(await a.TryLeaseAsync(CancellationToken.None));
        Assert.False(await b.TryLeaseAsync(CancellationToken.None));
        Assert.False((await b.RunOnceAsync(CancellationToken.None)).Leased);
        Assert.True(await a.TryLeaseAsync(CancellationToken.None));

        database.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.True(await b.TryLeaseAsync(CancellationToken.None));
        Assert.False(await a.TryLeaseAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SmsNotice_NotSentNorRecorded_WhileNoLinkIsConfigured()
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(customer));
        await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "More offers.");

        var run = await database.Services.GetRequiredService<ReconfirmationJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, run.Notified);
        Assert.Empty(await NoticesToAsync(database, Number));
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.TextChangeNotices.CountAsync());
        Assert.Contains(database.Logs.Lines, l => l.Contains("PreferencesUrl", StringComparison.Ordinal));
    }

    private static async Task<List<string>> NoticesToAsync(TestDatabase database, string number)
    {
        await using var db = await database.OpenAsync();
        return (await db.SmsOutbox.Where(m => m.ToE164 == number && m.Kind == SmsKind.Promotion && m.Body.Contains("https://prefs.example/m/")).Select(m => m.Body).ToListAsync()).Select(b => ManageToken().Replace(b, "/m/{token}")).ToList();
    }

    [System.Text.RegularExpressions.GeneratedRegex("/m/[A-Za-z0-9_-]{22}")]
    private static partial System.Text.RegularExpressions.Regex ManageToken();
}
