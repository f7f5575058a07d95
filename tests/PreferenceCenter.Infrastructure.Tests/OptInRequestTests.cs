using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.OptIns;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.OptIns;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>
/// Double opt-in by text (ADR 0034): a keyword, a till, an agent or a system asks; only the customer's YES from the
/// number, in time, grants, with both texts as evidence; nobody can be pestered.
/// </summary>
public sealed class OptInRequestTests
{
    private const string PromotionsNumber = "+447700900002";

    private static readonly Dictionary<string, string?> Settings = new(ConsentTextJobTests.Settings)
    {
        ["OptInRequests:Keywords:Promotions:0"] = "DEALS",
    };

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Keyword_GrantsOnlyAfterYes_AndTheReceiptShowsBothTexts(TestProvider provider)
    {
        const string number = "+447700900311";
        await using var database = await TestDatabase.CreateAsync(provider, Settings);

        var join = await InboundAsync(database, "SM-join-311", number, "Join");

        Assert.Equal("Acme: Reply YES to get promotional texts, up to 4 msgs/month. Msg & data rates may apply. Reply HELP for help, STOP to cancel.", join.Reply);
        Assert.Equal((SmsIntent.Join, 0), (join.Intent, join.ConsentEvents));
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal(0, await db.ConsentEvents.CountAsync());
            var request = await db.OptInRequests.SingleAsync();
            Assert.Equal((number, Purpose.Promotions, "keyword:JOIN", OptInRequestStatus.Open, join.Reply), (request.PhoneE164, request.Purpose, request.Source, request.Status, request.RequestText));
            Assert.Equal(join.Reply, (await db.QueuedTexts.SingleAsync(t => t.ToE164 == number)).Body);
        }

        database.Clock.Advance(TimeSpan.FromHours(23));
        var yes = await InboundAsync(database, "SM-yes-311", number, "yes");

        Assert.Equal((SmsIntent.Confirm, 1), (yes.Intent, yes.ConsentEvents));
        await using (var db = await database.OpenAsync())
        {
            var grant = await db.ConsentEvents.SingleAsync();
            Assert.Equal((ConsentAction.Granted, Purpose.Promotions, ConsentMethod.Sms, number), (grant.Action, grant.Purpose, grant.Method, grant.PhoneE164));
            Assert.True((await db.ConsentStates.SingleAsync(s => s.CustomerId == grant.CustomerId)).Granted);
            Assert.Equal(1, await db.PendingConfirmations.CountAsync(c => c.GrantSequence == grant.Sequence));

            var receipt = (await database.Consents.GetReceiptAsync(grant.CustomerId, grant.Sequence))!;
            var texts = receipt.Conversation!;
            Assert.Equal(("Join", "SM-join-311", join.Reply, "yes", "SM-yes-311"), (texts.KeywordText, texts.KeywordMessageSid, texts.RequestText, texts.ReplyText, texts.ReplyMessageSid));
            Assert.Contains(texts.EvidenceSha256, grant.Reason, StringComparison.Ordinal);
            Assert.True(receipt.SelfConsistent);
        }
    }

    [Fact]
    public async Task Keyword_GrantsNothing_WhenTheReplyIsAnythingElseOrNeverComes()
    {
        const string number = "+447700900312";
        await using var database = await TestDatabase.CreateAsync(Settings);
        await InboundAsync(database, "SM-join-312", number, "SUBSCRIBE");

        var other = await InboundAsync(database, "SM-maybe-312", number, "maybe later");
        database.Clock.Advance(TimeSpan.FromHours(25));

        Assert.Equal((0, null), (other.ConsentEvents, other.Reply));
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.ConsentEvents.CountAsync());
        Assert.Equal(OptInRequestStatus.Expired, (await db.OptInRequests.SingleAsync()).StatusAt(database.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task LateYes_GrantsNothing_AndGetsOneExpiredReply()
    {
        const string number = "+447700900313";
        await using var database = await TestDatabase.CreateAsync(Settings);
        await InboundAsync(database, "SM-join-313", number, "JOIN");
        database.Clock.Advance(TimeSpan.FromHours(24));

        var late = await InboundAsync(database, "SM-yes-313", number, "YES");
        var again = await InboundAsync(database, "SM-yes-313b", number, "YES");

        Assert.Equal((0, "Acme: That request has expired, so nothing has changed. Text DEALS to this number to be asked again."), (late.ConsentEvents, late.Reply));
        Assert.Equal((0, null), (again.ConsentEvents, again.Reply));
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.ConsentEvents.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task TillRequest_GrantsWithItsSourceInSpanish_WhenTheCustomerRepliesSi(TestProvider provider)
    {
        const string number = "+447700900314";
        await using var database = await TestDatabase.CreateAsync(provider, Settings);
        var optIns = database.Services.GetRequiredService<OptInRequests>();

        var sent = await optIns.RequestAsync(new OptInRequestCommand(number, Purpose.Promotions, "es", "store:042", "integration:till", "203.0.113.9"));
        await database.SendQueuedTextsAsync();
        var yes = await InboundAsync(database, "SM-si-314", number, "Sí");

        Assert.Equal(OptInRefusal.None, sent.Refusal);
        Assert.StartsWith("Acme: Responde SI para recibir", sent.Request!.RequestText, StringComparison.Ordinal);
        Assert.Equal(1, yes.ConsentEvents);
        await using var db = await database.OpenAsync();
        Assert.Equal(sent.Request.RequestText, (await db.SmsOutbox.SingleAsync(m => m.ToE164 == number)).Body);
        var grant = await db.ConsentEvents.SingleAsync();
        Assert.Equal(("es", ConsentMethod.Sms), (grant.Locale, grant.Method));
        Assert.Equal("es", (await db.ConsentTexts.SingleAsync(t => t.Id == grant.ConsentTextId)).Language);
        var views = await optIns.ForCustomerAsync(grant.CustomerId);
        var view = Assert.Single(views);
        Assert.Equal(("store:042", "integration:till", OptInRequestStatus.Confirmed, (long?)grant.Sequence, "Sí"), (view.Source, view.RequestedBy, view.Status, view.ConsentEventSequence, view.ReplyText));
    }

    [Fact]
    public async Task Requests_AreThrottled_OneOpenPerPurposeAndThreeByOthersIn30Days_ButTheCustomersOwnKeywordStillAsks()
    {
        const string number = "+447700900315";
        await using var database = await TestDatabase.CreateAsync(Settings);
        var optIns = database.Services.GetRequiredService<OptInRequests>();
        var command = new OptInRequestCommand(number, Purpose.Promotions, "en", "store:042", "integration:till", null);

        var refusals = new List<OptInRefusal>();
        for (var i = 0; i < 3; i++)
        {
            refusals.Add((await optIns.RequestAsync(command)).Refusal);
            refusals.Add((await optIns.RequestAsync(command)).Refusal);
            database.Clock.Advance(TimeSpan.FromDays(1));
        }

        var fourth = await optIns.RequestAsync(command);
        var keyword = await InboundAsync(database, "SM-join-315", number, "JOIN");
        database.Clock.Advance(TimeSpan.FromDays(28));
        var afterWindow = await optIns.RequestAsync(command with { Purpose = Purpose.AccountAlerts });

        Assert.Equal([OptInRefusal.None, OptInRefusal.AlreadyOpen, OptInRefusal.None, OptInRefusal.AlreadyOpen, OptInRefusal.None, OptInRefusal.AlreadyOpen], refusals);
        Assert.Equal(OptInRefusal.TooMany, fourth.Refusal);
        Assert.Contains("Reply YES", keyword.Reply, StringComparison.Ordinal);
        Assert.Equal(OptInRefusal.None, afterWindow.Refusal);
        await using var db = await database.OpenAsync();
        Assert.Equal(5, await db.OptInRequests.CountAsync());
        Assert.Equal(5, await db.QueuedTexts.CountAsync(t => t.ToE164 == number));
    }

    [Fact]
    public async Task Stop_CancelsAnOpenRequest_SoALaterYesGrantsNothing()
    {
        const string number = "+447700900316";
        await using var database = await TestDatabase.CreateAsync(Settings);
        var optIns = database.Services.GetRequiredService<OptInRequests>();
        await optIns.RequestAsync(new OptInRequestCommand(number, Purpose.Promotions, "en", "agent", "agent@example.com", null));

        await InboundAsync(database, "SM-stop-316", number, "STOP");
        var yes = await InboundAsync(database, "SM-yes-316", number, "YES");

        Assert.Equal((0, null), (yes.ConsentEvents, yes.Reply));
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.ConsentEvents.CountAsync());
        var request = await db.OptInRequests.SingleAsync();
        Assert.Equal(OptInRequestStatus.Cancelled, request.Status);
        Assert.Contains("STOP", request.ReplyText, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task StoppedNumber_GetsNoRequestFromOthers_ButItsOwnKeywordAsksAndItsYesLiftsTheStop(TestProvider provider)
    {
        const string number = "+447700900317";
        await using var database = await TestDatabase.CreateAsync(provider, Settings);
        var optIns = database.Services.GetRequiredService<OptInRequests>();
        await InboundAsync(database, "SM-stop-317", number, "STOP");

        var byTill = await optIns.RequestAsync(new OptInRequestCommand(number, Purpose.Promotions, "en", "store:042", "integration:till", null));
        var join = await InboundAsync(database, "SM-deals-317", number, "deals!");
        await using (var db = await database.OpenAsync())
        {
            Assert.True(await db.SmsSuppressions.AnyAsync(s => s.Purpose == Purpose.Promotions && s.LiftedAt == null), "the keyword alone lifts nothing");
        }

        var yes = await InboundAsync(database, "SM-yes-317", number, "YES");

        Assert.Equal(OptInRefusal.StoppedByCustomer, byTill.Refusal);
        Assert.Equal(SmsIntent.Join, join.Intent);
        Assert.Equal(1, yes.ConsentEvents);
        await using var after = await database.OpenAsync();
        Assert.False(await after.SmsSuppressions.AnyAsync(s => s.Purpose == Purpose.Promotions && s.LiftedAt == null));
        Assert.Equal("keyword:DEALS", (await after.OptInRequests.SingleAsync()).Source);
    }

    [Fact]
    public async Task Yes_GrantsToTheNumbersHolder_WhenACustomerAlreadyHasIt()
    {
        const string number = "+447700900318";
        await using var database = await TestDatabase.CreateAsync(Settings);
        var customer = await database.CreateVerifiedCustomerAsync(number);
        await InboundAsync(database, "SM-join-318", number, "JOIN");

        await InboundAsync(database, "SM-yes-318", number, "YES");

        await using var db = await database.OpenAsync();
        Assert.Equal(customer, (await db.ConsentEvents.SingleAsync()).CustomerId);
        Assert.Equal(1, await db.Customers.CountAsync());
    }

    [Fact]
    public void Options_RefuseAKeywordThatIsAlreadyAKeywordOrTwoWords()
    {
        var options = new OptInRequestOptions { Keywords = new(StringComparer.OrdinalIgnoreCase) { ["Promotions"] = ["STOP", "two words", "DEALS"], ["Surveys"] = ["deals"] } };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(e => e.ErrorMessage).ToList();

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e!.Contains("'STOP' is already a keyword", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("'two words' must be one word", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("more than one purpose", StringComparison.Ordinal));
    }

    private static Task<InboundSmsResult> InboundAsync(TestDatabase database, string sid, string from, string body) =>
        database.Services.GetRequiredService<InboundSmsService>().HandleAsync(new InboundSmsRequest(sid, from, PromotionsNumber, body));
}
