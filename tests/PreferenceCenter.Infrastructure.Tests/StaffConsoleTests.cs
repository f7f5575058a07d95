using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Staff;

namespace PreferenceCenter.Infrastructure.Tests;

public sealed class StaffConsoleTests
{
    private static readonly StaffMember Agent = new("agent-user-id", "agent@example.test", "198.51.100.9");

    [Theory]
    [InlineData("07700 900123")]
    [InlineData("+44 7700 900123")]
    [InlineData("0044-7700-900-123")]
    [InlineData("tel:+447700900123")]
    public async Task Search_FindsCustomer_ByPhoneTypedAnyWay(string typed)
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Phone:DefaultRegion"] = "GB" });
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123", "someone@example.test");
        await database.CreateVerifiedCustomerAsync("+447700900124");

        var page = await database.StaffConsole.SearchAsync(typed, 0, 20, Agent);

        var hit = Assert.Single(page.Items);
        Assert.Equal((customer, "someone@example.test", "+447700900123"), (hit.CustomerId, hit.Email, hit.CurrentPhoneE164));
        Assert.Null(page.Problem);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Search_FindsCustomer_ByEmailInAnyCaseAndById(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123", "someone@example.test");

        Assert.Equal(customer, Assert.Single((await database.StaffConsole.SearchAsync("  SomeOne@Example.TEST ", 0, 20, Agent)).Items).CustomerId);
        Assert.Equal(customer, Assert.Single((await database.StaffConsole.SearchAsync(customer.ToString(), 0, 20, Agent)).Items).CustomerId);
    }

    [Fact]
    public async Task Search_PagesOnTheServer_WhenManyCustomersShareANumber()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Verification:MaxSendsPerNumberPerHour"] = "50" });
        for (var i = 0; i < 7; i++)
        {
            await database.CreateVerifiedCustomerAsync("+447700900123");
            database.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await database.StaffConsole.SearchAsync("+447700900123", 0, 5, Agent);
        var second = await database.StaffConsole.SearchAsync("+447700900123", 1, 5, Agent);

        Assert.Equal((5, 7), (first.Items.Count, first.TotalItems));
        Assert.Equal(2, second.Items.Count);
        Assert.Empty(first.Items.Select(i => i.CustomerId).Intersect(second.Items.Select(i => i.CustomerId)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello there")]
    [InlineData("'; DROP TABLE \"ConsentEvents\"; --")]
    [InlineData("+999 1234 5678")]
    public async Task Search_ExplainsAndFindsNothing_WhenInputIsNotASearchable(string junk)
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.CreateVerifiedCustomerAsync();

        var page = await database.StaffConsole.SearchAsync(junk, 0, 20, Agent);

        Assert.Empty(page.Items);
        Assert.False(string.IsNullOrWhiteSpace(page.Problem));
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.ConsentEvents.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Search_RefusesTenThousandCharacters_WithAClearMessage(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var page = await database.StaffConsole.SearchAsync(new string('7', 10_000), 0, 20, Agent);
        Assert.Empty(page.Items);
        Assert.Contains("too long", page.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLog_RecordsSearchViewAndExport_WithMaskedSearchTerms()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Phone:DefaultRegion"] = "GB" });
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123");

        await database.StaffConsole.SearchAsync("07700 900123", 0, 20, Agent);
        Assert.NotNull(await database.StaffConsole.ViewCustomerAsync(customer, Agent));
        Assert.NotNull(await database.StaffConsole.ExportCustomerAsync(customer, Agent));

        var log = await database.StaffConsole.GetAccessLogAsync(new AccessLogQuery(null, customer, null, 0, 50));
        Assert.Equal([AccessActions.Export, AccessActions.View, AccessActions.Search], log.Items.Select(a => a.Action));
        Assert.All(log.Items, a => Assert.Equal(("agent@example.test", "198.51.100.9"), (a.StaffEmail, a.IpAddress)));
        Assert.DoesNotContain("7700900123", log.Items[2].Detail, StringComparison.Ordinal);
        Assert.Equal(2, (await database.StaffConsole.GetStaffViewsAsync(customer)).Count);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task AccessRecords_CannotBeChangedOrDeleted_EvenWithRawSql(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.StaffConsole.SearchAsync("someone@example.test", 0, 20, Agent);

        await using var db = await database.OpenAsync();
        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AccessRecords\" SET \"StaffEmail\" = 'nobody'"));
        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AccessRecords\""));
        Assert.Equal(1, await db.AccessRecords.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task View_BuildsTimelineOfEveryKind_NewestFirst(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123");
        var evidence = TestDatabase.Evidence(customer) with { Origin = "https://prefs.example.com" };
        database.Clock.Advance(TimeSpan.FromMinutes(1));
        await database.Consents.RecordTextsShownAsync(customer, [1, 2], evidence);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, evidence);
        database.Clock.Advance(TimeSpan.FromMinutes(1));
        var code = await database.SendCodeAndReadItAsync(customer, "+447700900999");
        await database.Verification.VerifyAsync(customer, code, evidence);

        var detail = await database.StaffConsole.ViewCustomerAsync(customer, Agent);

        Assert.NotNull(detail);
        var kinds = detail.Timeline.Select(t => t.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<TimelineKind>().ToHashSet(), kinds);
        Assert.Equal(detail.Timeline.OrderByDescending(t => t.At).Select(t => t.At), detail.Timeline.Select(t => t.At));
        var grant = detail.Timeline.Single(t => t.Kind == TimelineKind.Granted);
        Assert.Equal(("web", "203.0.113.7", "TestBrowser/1.0", 2), (grant.Method, grant.IpAddress, grant.UserAgent, grant.ConsentTextId));
        Assert.Equal(("https://prefs.example.com", "en-GB", detail.Texts[2].TextSha256), (grant.Origin, grant.Locale, grant.TextSha256));
        Assert.NotNull(grant.Hash);
        Assert.Equal([1, 2], detail.Timeline.Where(t => t.Kind == TimelineKind.TextShown).Select(t => t.ConsentTextId!.Value).Order());
        Assert.Contains("Msg & data rates", detail.Texts[2].Body, StringComparison.Ordinal);
        Assert.Equal(2, detail.Phones.Count);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task RevokeOnBehalf_LogsAgentEvent_WithReasonAndChannel(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));

        var results = await database.StaffConsole.RevokeOnBehalfAsync(customer, Purpose.Promotions, RevocationChannel.PhoneCall, "Customer phoned", Agent);

        Assert.Equal(ConsentChangeOutcome.Changed, Assert.Single(results).Outcome);
        await using var db = await database.OpenAsync();
        var e = await db.ConsentEvents.OrderByDescending(x => x.Sequence).FirstAsync();
        Assert.Equal((Purpose.Promotions, ConsentAction.Revoked, "agent", "agent:agent-user-id", "Customer phoned (phone call)", 2), (e.Purpose, e.Action, e.Method, e.Actor, e.Reason, e.ConsentTextId));
        Assert.True((await database.Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.AccountAlerts).Granted);
        Assert.Contains(await db.AccessRecords.ToListAsync(), a => a.Action == AccessActions.Revoke && a.CustomerId == customer);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task RevokeOnBehalf_All_WithdrawsEveryActiveConsent_AndNeedsAReason(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));

        await Assert.ThrowsAsync<ArgumentException>(() => database.StaffConsole.RevokeOnBehalfAsync(customer, null, RevocationChannel.Letter, "  ", Agent));
        var results = await database.StaffConsole.RevokeOnBehalfAsync(customer, null, RevocationChannel.Letter, "Wrote in", Agent);

        Assert.Equal(2, results.Count(r => r.Outcome == ConsentChangeOutcome.Changed));
        Assert.All(await database.Consents.GetStatesAsync(customer), s => Assert.False(s.Granted));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Activity_CountsOptInsAndOutsPerDayAndMethod(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        database.Clock.Advance(TimeSpan.FromDays(1));
        await database.StaffConsole.RevokeOnBehalfAsync(customer, Purpose.Promotions, RevocationChannel.Email, "Asked by email", Agent);

        var activity = await database.StaffConsole.GetActivityAsync(30);

        Assert.Equal(2, activity.Daily.Count);
        Assert.Equal((ConsentAction.Granted, 1), (activity.Daily[0].Action, activity.Daily[0].Count));
        Assert.Equal(activity.Daily[0].Day.AddDays(1), activity.Daily[1].Day);
        Assert.Equal(new Dictionary<string, int> { ["web"] = 1, ["agent"] = 1 }, activity.TotalsByMethod);
    }
}
