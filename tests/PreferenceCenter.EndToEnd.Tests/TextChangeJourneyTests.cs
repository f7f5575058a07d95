using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.Testing;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>An admin publishes a material change; a customer who agreed before is asked and answers with the keyboard (#10).</summary>
[Collection(BrowserGroup.Name)]
public sealed class TextChangeJourneyTests(BrowserFixture fixture)
{
    private const string Password = "Corr3ct-Horse-Battery!";

    [Fact]
    public async Task MaterialChange_AsksTheCustomerWhoAgreedBefore_AndKeepIsSavedUnderTheNewVersion()
    {
        // A customer agrees to promotions under today's wording.
        var customer = await fixture.NewPageAsync();
        var account = new AccountPages(customer);
        var email = $"changes-{Guid.NewGuid():N}@example.test";
        await account.RegisterAndConfirmAsync(email, Password);
        await account.SignInAsync(email, Password);
        var preferences = new PreferencesPage(customer);
        await preferences.OpenAsync();
        await preferences.VerifyNumberAsync("07700 900231", "+447700900231");
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await preferences.LatestReceiptLink.WaitForAsync();
        var notice = new TextChangeNotice(customer);
        await Expect(notice.Heading).ToHaveCountAsync(0);

        // An admin drafts, previews and publishes a material change.
        var adminEmail = $"texts-admin-{Guid.NewGuid():N}@example.test";
        var cli = await WebExecutable.RunAsync(fixture.App.DataSettings, TestContext.Current.CancellationToken, "users", "create", "--email", adminEmail, "--password", Password, "--role", "Admin");
        Assert.Equal(0, cli.Code);
        var adminPage = await fixture.NewPageAsync();
        await new AccountPages(adminPage).SignInAsync(adminEmail, Password);
        var admin = new ConsentTextAdminPage(adminPage);
        await admin.OpenAsync();
        await AssertAccessibleAsync(adminPage, "consent texts admin");
        var wording = $"Offers, partner deals and event invitations by text, at most 8 messages a month ({Guid.NewGuid():N}). Agreeing is not a condition of any purchase. Msg & data rates may apply. Reply STOP to opt out, HELP for help.";
        await admin.SaveMaterialDraftAsync("Promotions", wording, "Up to 8 texts a month, and partner deals.");
        await admin.PreviewAsync("Promotions (en)");
        await Expect(admin.Preview.GetByText("Up to 8 texts a month, and partner deals.")).ToBeVisibleAsync();
        await Expect(admin.Preview.Locator("ins").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(adminPage, "consent texts admin with a preview");
        await admin.PublishAsync("Promotions (en)");

        // Next visit: the notice, focused, with the highlighted difference; answered with the keyboard alone.
        await preferences.OpenAsync();
        await Expect(notice.Heading).ToBeFocusedAsync();
        await Expect(customer.GetByText("Up to 8 texts a month, and partner deals.")).ToBeVisibleAsync();
        await Expect(notice.Added.Filter(new() { HasText = "partner deals" })).ToBeVisibleAsync();
        await Expect(notice.Removed.First).ToBeVisibleAsync();
        await AssertAccessibleAsync(customer, "preferences with the change notice");
        await customer.Keyboard.PressAsync("Tab");
        await Expect(notice.Keep).ToBeFocusedAsync();
        await customer.Keyboard.PressAsync("Enter");

        await Expect(notice.Status).ToHaveTextAsync("Saved: you will keep getting promotions texts under the new terms.");
        await Expect(notice.Heading).ToHaveCountAsync(0);
        await Expect(preferences.Promotions).ToBeCheckedAsync();
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "kept after change" })).ToHaveCountAsync(1);

        // Agents see the answer counted against the new version.
        await adminPage.GotoAsync("agent/consent-texts");
        await adminPage.GetByRole(AriaRole.Table).WaitForAsync();
        await AssertAccessibleAsync(adminPage, "consent text answers");
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var results = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
    }
}
