using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>Every customer and agent page fits a 360 px phone: nothing makes the whole page scroll sideways (#20).</summary>
[Collection(BrowserGroup.Name)]
public sealed class SmallScreenTests(BrowserFixture fixture)
{
    // The widest elements, to name the culprit when a page is too wide.
    private const string TooWide = """
        () => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && getComputedStyle(e).position !== 'fixed')
            .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))
        """;

    [Fact]
    public async Task CustomerPages_FitA360PixelScreen_InEnglishAndSpanish()
    {
        foreach (var locale in new[] { "en-GB", "es-ES" })
        {
            var page = await fixture.NewPageAsync(locale: locale);
            await page.SetViewportSizeAsync(360, 740);
            var spanish = locale.StartsWith("es", StringComparison.Ordinal);
            var preferences = new PreferencesPage(page, spanish ? PreferencesPage.Spanish : PreferencesPage.English);
            await page.GotoAsync(string.Empty);
            await AssertFitsAsync(page, $"start page ({locale})");
            var (typed, e164) = spanish ? ("07700 900383", "+447700900383") : ("07700 900382", "+447700900382");
            await preferences.OpenAsync();
            await AssertFitsAsync(page, $"phone sign-in ({locale})");
            await preferences.VerifyNumberAsync(typed, e164);
            await preferences.Promotions.CheckAsync();
            await preferences.LatestReceiptLink.WaitForAsync();
            await AssertFitsAsync(page, $"preferences with history ({locale})");
            await page.GotoAsync("Account/Manage/DeletePersonalData");
            await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).WaitForAsync();
            await AssertFitsAsync(page, $"delete my data ({locale})");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task StaffConsolePages_FitA360PixelScreen()
    {
        var customer = await fixture.NewPageAsync();
        await new PreferencesPage(customer).SignInWithPhoneAsync("07700 900384", "+447700900384");
        await new PreferencesPage(customer).Promotions.CheckAsync();

        var page = await fixture.NewStaffPageAsync("Agent", "narrow");
        await page.SetViewportSizeAsync(360, 740);
        var console = new StaffConsolePages(page);
        await console.SearchAsync("07700 900384");
        await AssertFitsAsync(page, "agent search results");
        await console.OpenCustomerWithNumberAsync("+447700900384");
        await console.Timeline.WaitForAsync();
        await AssertFitsAsync(page, "customer page");
        foreach (var path in new[] { "agent/review", "agent/dashboard", "agent/consent-texts" })
        {
            await page.GotoAsync(path);
            await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First.WaitForAsync();
            await page.Locator(".mud-progress-linear").WaitForAsync(new() { State = WaitForSelectorState.Detached });
            await AssertFitsAsync(page, path);
        }
    }

    /// <summary>Fails when the page scrolls sideways, naming the widest elements.</summary>
    internal static async Task AssertFitsAsync(IPage page, string what)
    {
        // A page mid-way through an enhanced navigation briefly holds both pages: judge it once it has settled.
        const string Fits = "() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth";
        try
        {
            await page.WaitForFunctionAsync(Fits, null, new() { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} scrolls sideways at 360 px: " + string.Join(", ", await page.EvaluateAsync<string[]>(TooWide)));
        }
    }
}
