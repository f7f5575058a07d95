using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Webhooks;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using static PreferenceCenter.EndToEnd.Tests.Infrastructure.Axe;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>axe-core (WCAG 2.0, 2.1 and 2.2 A/AA rules) on the pages people use; any violation fails, whatever its impact.</summary>
[Collection(BrowserGroup.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture)
{
    [Fact]
    public async Task CustomerPages_HaveNoAccessibilityViolations()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("Account/Login");
        await AssertAccessibleAsync(page, "staff sign-in");

        var preferences = new PreferencesPage(page);
        await preferences.OpenAsync();
        await AssertAccessibleAsync(page, "phone sign-in");
        await preferences.VerifyNumberAsync("07700 900206", "+447700900206");
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await preferences.LatestReceiptLink.WaitForAsync();
        await AssertAccessibleAsync(page, "preferences after a change");
        await preferences.LatestReceiptLink.ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).WaitForAsync();
        await AssertAccessibleAsync(page, "receipt");

        // The manage link from the confirmation text: its page, then the page a used link gets, at phone width.
        await page.SetViewportSizeAsync(360, 740);
        var link = await new DevSmsPage(page.Context).LatestManageLinkForAsync("+447700900206");
        await page.GotoAsync(link);
        await AssertAccessibleAsync(page, "manage link");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the manage-link page scrolls sideways at 360 px");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open my preferences" }).ClickAsync();
        await preferences.WaitForVerifiedAsync();
        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Heading, new() { Name = "This link has already been used" }).WaitForAsync();
        await AssertAccessibleAsync(page, "used manage link");
    }

    [Theory]
    [InlineData("es-ES", ColorScheme.Light, "07700 900208")]
    [InlineData("en-GB", ColorScheme.Dark, "07700 900209")]
    [InlineData("es-ES", ColorScheme.Dark, "07700 900210")]
    public async Task CustomerPages_HaveNoAccessibilityViolations_InSpanishAndInDarkMode(string locale, ColorScheme scheme, string typed)
    {
        var page = await fixture.NewPageAsync(locale: locale, colorScheme: scheme);
        var spanish = locale.StartsWith("es", StringComparison.Ordinal);
        var what = $"{locale} {scheme}";
        await page.GotoAsync(string.Empty);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", spanish ? "es" : "en");
        await AssertAccessibleAsync(page, $"start page ({what})");

        var preferences = new PreferencesPage(page, spanish ? PreferencesPage.Spanish : PreferencesPage.English);
        await preferences.OpenAsync();
        // The palette follows the system once MudBlazor has asked the browser for it: wait for it, then check contrast.
        await Assertions.Expect(page.Locator(".mud-paper").First).ToHaveCSSAsync("background-color", scheme == ColorScheme.Dark ? "rgb(30, 30, 30)" : "rgb(255, 255, 255)");
        await AssertAccessibleAsync(page, $"preferences before verification ({what})");

        var e164 = "+44" + typed[1..].Replace(" ", string.Empty, StringComparison.Ordinal);
        await preferences.VerifyNumberAsync(typed, e164);
        await preferences.Promotions.CheckAsync();
        await preferences.LatestReceiptLink.WaitForAsync();
        await AssertAccessibleAsync(page, $"preferences after a change ({what})");

        await preferences.LatestReceiptLink.ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).WaitForAsync();
        await AssertAccessibleAsync(page, $"receipt ({what})");

        // The one account page a customer has speaks their language too.
        await page.GotoAsync("Account/Manage/DeletePersonalData");
        await page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = spanish ? "Eliminar mi cuenta y mis datos" : "Delete my account and data" }).WaitForAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = spanish ? "Eliminar mis datos y cerrar mi cuenta" : "Delete data and close my account" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, $"delete my data ({what})");
    }

    [Fact]
    public async Task EmbeddedPageAndDemoHost_HaveNoAccessibilityViolations()
    {
        var page = await fixture.NewPageAsync();
        var demo = new EmbedDemoPage(page, fixture.App.BaseUrl);
        await demo.OpenAsync($"a11y-{Guid.NewGuid():N}");
        await AssertAccessibleAsync(page, "demo host page");

        // The framed page itself, scanned as a document of its own.
        var src = await page.Locator("iframe[title='Text message preferences']").GetAttributeAsync("src");
        var framed = await fixture.NewPageAsync();
        await framed.GotoAsync(src!.Replace("nonce=", "nonce=x", StringComparison.Ordinal));
        await AssertAccessibleAsync(framed, "embed error page");
    }

    [Fact]
    public async Task StaffPages_HaveNoAccessibilityViolations()
    {
        var page = await fixture.NewStaffPageAsync("Admin", "a11y-admin");

        // Subscribers in both states, so the webhook and sync pages are scanned with their tables and buttons.
        var subscribers = fixture.App.Services.GetRequiredService<WebhookSubscribers>();
        await subscribers.CreateAsync("A11y active", "http://127.0.0.1:9/hooks", PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked]);
        var paused = await subscribers.CreateAsync("A11y paused", "http://127.0.0.1:9/hooks", PurposeCatalog.Default.All, [ConsentAction.Revoked]);
        await subscribers.SetActiveAsync(paused.Subscriber.Id, active: false);

        foreach (var (path, heading) in new[] { ("agent", "Find a customer"), ("agent/dashboard", null), ("admin/access-log", null), ("admin/ledger", null), ("admin/embed-sites", null), ("admin/integrations", null), ("admin/webhooks", null), ("admin/sync", null), ("admin/purposes", null) })
        {
            await page.GotoAsync(path);
            await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First.WaitForAsync();
            await page.Locator(".mud-progress-linear").WaitForAsync(new() { State = WaitForSelectorState.Detached });
            await AssertAccessibleAsync(page, path + (heading is null ? string.Empty : $" ({heading})"));
        }
    }

    [Fact]
    public async Task PreferencesPage_FitsASmallPhone_AndWorksWithTheKeyboardAlone()
    {
        var page = await fixture.NewPageAsync();
        await page.SetViewportSizeAsync(360, 740);
        var preferences = new PreferencesPage(page);
        await preferences.OpenAsync();

        // Keyboard only: type the number, Enter sends; type the code, Enter verifies; Space ticks.
        await preferences.PhoneNumber.FocusAsync();
        await page.Keyboard.TypeAsync("07700 900207");
        await page.Keyboard.PressAsync("Enter");
        await preferences.VerificationCode.WaitForAsync();
        await Assertions.Expect(preferences.VerificationCode).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(await new DevSmsPage(page.Context).LatestCodeForAsync("+447700900207"));
        await page.Keyboard.PressAsync("Enter");
        await preferences.WaitForVerifiedAsync();
        await preferences.Promotions.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(preferences.Promotions).ToBeCheckedAsync();

        await SmallScreenTests.AssertFitsAsync(page, "preferences after ticking by keyboard");
        await preferences.Promotions.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(preferences.Promotions).ToBeInViewportAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stop all texts" })).ToBeEnabledAsync();

        // History is a card per change: words whole, the number it applied to shown, the receipt link on screen.
        var change = preferences.HistoryRows.Filter(new() { HasText = "Agreed" });
        await Assertions.Expect(change).ToContainTextAsync("+44 7700 900207");
        var receipt = change.GetByRole(AriaRole.Link);
        await receipt.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(receipt).ToBeInViewportAsync(new() { Ratio = 1 });
        var overflowing = await preferences.History.EvaluateAsync<string[]>(
            "t => [...t.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)");
        Assert.Empty(overflowing);
    }
}
