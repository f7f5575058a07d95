using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

[Collection(BrowserGroup.Name)]
public sealed class StaffConsoleJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Agent_FindsCustomerByNumberAndRecordsPhonedRevocation_CustomerSeesIt()
    {
        // A customer verifies a number and agrees to promotions.
        var customerPage = await fixture.NewPageAsync();
        var preferences = new PreferencesPage(customerPage);
        await preferences.SignInWithPhoneAsync("+44 7700 900301", "+447700900301");
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Agreed" })).ToHaveCountAsync(1);

        // An agent account made with the app's own command line.
        var agentPage = await fixture.NewStaffPageAsync("Agent", "agent");
        var console = new StaffConsolePages(agentPage);
        await console.SearchAsync("07700 900301");
        await console.OpenCustomerWithNumberAsync("+447700900301");
        await Expect(console.Timeline).ToContainTextAsync("Promotions granted");
        await console.RecordRevocationAsync("Promotions", "phone call", "Customer phoned");
        await Expect(console.Timeline).ToContainTextAsync("Promotions revoked");
        await Expect(console.Timeline).ToContainTextAsync("Reason: Customer phoned (phone call)");

        // The customer sees the withdrawal, who made it (support), and that support looked.
        await customerPage.ReloadAsync();
        await preferences.WaitForVerifiedAsync();
        await Expect(preferences.Promotions).Not.ToBeCheckedAsync();
        var revocation = preferences.HistoryRows.Filter(new() { HasText = "Withdrawn" });
        await Expect(revocation).ToContainTextAsync("Customer support");
        await Expect(revocation).ToContainTextAsync("Customer phoned");
        await Expect(customerPage.GetByText("Your record was viewed by support on")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Agent_SendsAnOptInRequest_AndOnlyTheCustomersYesTicksPromotionsByTextMessage()
    {
        var customerPage = await fixture.NewPageAsync();
        var preferences = new PreferencesPage(customerPage);
        await preferences.SignInWithPhoneAsync("+44 7700 900322", "+447700900322");

        // The agent asks; the page says what will be texted, and nothing is granted yet.
        var agentPage = await fixture.NewStaffPageAsync("Agent", "optin");
        var console = new StaffConsolePages(agentPage);
        await console.SearchAsync("07700 900322");
        await console.OpenCustomerWithNumberAsync("+447700900322");
        await console.SendOptInRequestAsync("Promotions", "English");
        await Expect(console.OptInRequests).ToContainTextAsync("Waiting for YES");
        var devSms = new DevSmsPage(customerPage.Context);
        Assert.Equal(1, await devSms.CountSentAsync("+447700900322", "Reply YES to get"));
        await customerPage.ReloadAsync();
        await preferences.WaitForVerifiedAsync();
        await Expect(preferences.Promotions).Not.ToBeCheckedAsync();

        // The customer replies YES from their phone.
        await devSms.SimulateIncomingAsync("+447700900322", "+447700900002 (promotions number)", "YES");
        await customerPage.ReloadAsync();
        await preferences.WaitForVerifiedAsync();

        await Expect(preferences.Promotions).ToBeCheckedAsync();
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Agreed" })).ToContainTextAsync("Text message");

        // The receipt shows the request as texted and the reply as received.
        await preferences.HistoryRows.Filter(new() { HasText = "Agreed" }).GetByRole(Microsoft.Playwright.AriaRole.Link).First.ClickAsync();
        var texts = customerPage.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = "The texts" });
        await Expect(texts).ToBeVisibleAsync();
        await Expect(customerPage.GetByRole(Microsoft.Playwright.AriaRole.Definition).Filter(new() { HasText = "Reply YES to get" })).ToHaveCountAsync(1);
        await Expect(customerPage.GetByRole(Microsoft.Playwright.AriaRole.Definition).Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^\s*YES\b") })).ToHaveCountAsync(1);
        await agentPage.ReloadAsync();
        await Expect(console.OptInRequests).ToContainTextAsync("Confirmed by “YES”");

        // A grant by reply carries long message ids and digests: the agent's page still fits a phone.
        await agentPage.SetViewportSizeAsync(360, 800);
        await SmallScreenTests.AssertFitsAsync(agentPage, "customer page after an opt-in by reply");
    }

    [Fact]
    public async Task ReviewQueue_LinksTheCustomerWhoTexted_WhenTheirNumberHasNoEmail()
    {
        // A phone-only customer (no email, ADR 22) replies in words, not a keyword.
        var customerPage = await fixture.NewPageAsync();
        await new PreferencesPage(customerPage).SignInWithPhoneAsync("+44 7700 900319", "+447700900319");
        await new DevSmsPage(customerPage.Context).SimulateIncomingAsync("+447700900319", "+447700900002 (promotions number)", "please stop texting me");

        var agentPage = await fixture.NewStaffPageAsync("Agent", "review");
        await agentPage.GotoAsync("agent/review");
        var item = agentPage.GetByRole(Microsoft.Playwright.AriaRole.Region, new() { Name = "Text from +447700900319" });
        await item.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Open the customer" }).ClickAsync();

        await Expect(agentPage.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("+447700900319");
    }
}
