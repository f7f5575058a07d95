using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.Testing;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

[Collection(BrowserGroup.Name)]
public sealed class CustomerJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task NewPerson_GetsFromHomeToTickedPromotions_WithOnlyTheirNumberAndACode_AndEverySurvivesReloadAndSignIn()
    {
        var (page, account, preferences) = await VisitorAsync();

        // No account to create, no password: the home page's main action leads straight to the number.
        await page.GotoAsync("");
        await page.GetByRole(AriaRole.Link, new() { Name = "Manage my text preferences" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Sign in with your phone number" }).WaitForAsync();
        await Expect(preferences.AccountAlerts).ToHaveCountAsync(0);

        // Typed the way people type a UK mobile; the default region (GB) comes from appsettings.Development.json.
        await preferences.VerifyNumberAsync("07700 900123", "+447700900123");
        Assert.Contains("+44 7700 900123", await preferences.VerifiedNumberAsync(), StringComparison.Ordinal);

        await Expect(preferences.AccountAlerts).Not.ToBeCheckedAsync();
        await Expect(preferences.Promotions).Not.ToBeCheckedAsync();
        await Expect(preferences.Promotions).ToBeEnabledAsync();
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Agreed" })).ToHaveCountAsync(1);

        await page.ReloadAsync();
        await preferences.WaitForVerifiedAsync();
        await Expect(preferences.Promotions).ToBeCheckedAsync();
        await Expect(preferences.AccountAlerts).Not.ToBeCheckedAsync();

        await PreferencesPage.SetAsync(preferences.Promotions, ticked: false);
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Withdrawn" })).ToHaveCountAsync(1);
        var rows = preferences.HistoryRows.Filter(new() { HasText = "Promotions" });
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("Withdrawn");
        await Expect(rows.Nth(1)).ToContainTextAsync("Agreed");
        await Expect(rows.Nth(0)).ToContainTextAsync("On this website");
        await Expect(rows.Nth(0)).ToContainTextAsync("Europe/London");

        await account.SignOutAsync();
        await preferences.OpenAsync();
        await Expect(preferences.Promotions).ToHaveCountAsync(0);
        await preferences.SignInWithPhoneAsync("+44 7700 900123", "+447700900123");
        await Expect(preferences.Promotions).Not.ToBeCheckedAsync();
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Promotions" })).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task ManageLinkInTheConfirmationText_OpensTheirPageWithoutACode_OnceOnly()
    {
        var (page, account, preferences) = await VisitorAsync();
        await preferences.SignInWithPhoneAsync("07700 900124", "+447700900124");
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Agreed" })).ToHaveCountAsync(1);
        await account.SignOutAsync();

        // The "you're subscribed" text carries the link; opening it shows a button first (link previews spend nothing).
        var link = await new DevSmsPage(page.Context).LatestManageLinkForAsync("+447700900124");
        await page.GotoAsync(link);
        await Expect(page.GetByText("the number ending 24")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Open my preferences" }).ClickAsync();
        await preferences.WaitForVerifiedAsync();
        await Expect(preferences.Promotions).ToBeCheckedAsync();

        await account.SignOutAsync();
        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link has already been used" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Get a code instead" }).ClickAsync();
        await Expect(preferences.PhoneNumber).ToBeVisibleAsync();
    }

    [Fact]
    public async Task VerificationCode_IsLocked_AfterFiveWrongAttempts()
    {
        var (page, account, preferences) = await VisitorAsync();
        await preferences.OpenAsync();

        await preferences.SendCodeToAsync("+44 7700 900456");
        var code = await new DevSmsPage(page.Context).LatestCodeForAsync("+447700900456");
        var wrong = code == "000000" ? "111111" : "000000";
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await preferences.EnterCodeAsync(wrong);
            await Expect(preferences.Alert).ToContainTextAsync($"{5 - attempt} attempt");
        }

        await preferences.EnterCodeAsync(wrong);
        await Expect(preferences.Alert).ToContainTextAsync("Too many wrong attempts");

        // Even the right code no longer works: a new one is needed.
        await preferences.EnterCodeAsync(code);
        await Expect(preferences.Alert).ToContainTextAsync("Too many wrong attempts");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Change number" })).ToHaveCountAsync(0);
        await Expect(preferences.Promotions).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task PhoneNumber_ShowsAnnouncedErrorAndSendsNothing_WhenItIsALandline()
    {
        var (page, account, preferences) = await VisitorAsync();
        await preferences.OpenAsync();

        await preferences.PhoneNumber.FillAsync("020 7946 0000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();

        await Expect(preferences.Alert).ToContainTextAsync("cannot receive texts");
        await Expect(preferences.PhoneNumber).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(preferences.VerificationCode).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task StopAllTexts_AndChangeNumber_WithdrawEverythingWithTheirReasons()
    {
        var (page, account, preferences) = await VisitorAsync();
        await preferences.SignInWithPhoneAsync("+44 7700 900201", "+447700900201");

        await PreferencesPage.SetAsync(preferences.AccountAlerts, ticked: true);
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Agreed" })).ToHaveCountAsync(2);
        await preferences.StopAllTextsAsync();

        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Withdrawn (stop all texts)" })).ToHaveCountAsync(2);
        await Expect(preferences.AccountAlerts).Not.ToBeCheckedAsync();
        await Expect(preferences.Promotions).Not.ToBeCheckedAsync();

        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Agreed" })).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change number" }).ClickAsync();
        await preferences.VerifyNumberAsync("07700 900202", "+447700900202");

        Assert.Contains("+44 7700 900202", await preferences.VerifiedNumberAsync(), StringComparison.Ordinal);
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Withdrawn (number changed)" })).ToHaveCountAsync(1);
        await Expect(preferences.Promotions).Not.ToBeCheckedAsync();
        await Expect(page.GetByText("Your choices for your previous number were withdrawn")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Customer_ReadsTheReceiptOfAChange_ThenDeletesTheAccount_LeavingOnlyAnonymousFacts()
    {
        var (page, account, preferences) = await VisitorAsync();
        await preferences.SignInWithPhoneAsync("07700 900203", "+447700900203");
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);

        await preferences.LatestReceiptLink.ClickAsync();
        // A plain summary first, numbered among this customer's own changes; the auditors' evidence folded below it.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Consent receipt #1");
        await Expect(page.GetByText("You agreed to Promotions texts.")).ToBeVisibleAsync();
        await Expect(page.GetByText("On this website")).ToBeVisibleAsync();

        // Opened from the live page (an enhanced navigation), the time is still the reader's own: London's GMT, not UTC.
        await Expect(page.Locator(".receipt-summary time")).ToContainTextAsync("GMT");
        await Expect(page.GetByText("Agreeing is not a condition of any purchase")).ToBeVisibleAsync();
        var canonical = page.GetByLabel("Canonical encoding of the event");
        await Expect(canonical).Not.ToBeVisibleAsync();
        await page.GetByText("Evidence for auditors").ClickAsync();
        await Expect(canonical).ToContainTextAsync("origin=" + fixture.App.BaseUrl.TrimEnd('/'));

        await preferences.OpenAsync();
        await preferences.WaitForVerifiedAsync();
        await account.DeleteAccountAsync();

        // The number's next proof starts afresh: the erased customer's history is nobody's to see.
        await preferences.SignInWithPhoneAsync("07700 900203", "+447700900203");
        await Expect(preferences.Promotions).Not.ToBeCheckedAsync();
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Promotions" })).ToHaveCountAsync(0);
        var (code, output, _) = await WebExecutable.RunAsync(fixture.App.DataSettings, TestContext.Current.CancellationToken, "ledger", "verify");
        Assert.Equal(0, code);
        Assert.Contains("chain intact", output, StringComparison.Ordinal);
    }

    /// <summary>Someone who has never been here: a fresh browser, no account.</summary>
    private async Task<(IPage Page, AccountPages Account, PreferencesPage Preferences)> VisitorAsync()
    {
        var page = await fixture.NewPageAsync();
        return (page, new AccountPages(page), new PreferencesPage(page));
    }
}
