using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.Infrastructure.Persistence;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>English and Spanish as a customer meets them: the switch, the consent text, the code, the record.</summary>
[Collection(BrowserGroup.Name)]
public sealed class LanguageJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task LanguageSwitch_MakesThePageSpanish_RemembersIt_AndAChangeRecordsEsWithTheSpanishText()
    {
        var page = await fixture.NewPageAsync();
        var preferences = new PreferencesPage(page);
        await preferences.OpenAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Language" }).GetByRole(AriaRole.Button, new() { Name = "Español" }).ClickAsync();

        await page.GetByRole(AriaRole.Heading, new() { Name = "Preferencias de mensajes de texto" }).WaitForAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == ".AspNetCore.Culture");
        Assert.Equal("c%3Des%7Cuic%3Des", cookie.Value);
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Idioma" }).GetByRole(AriaRole.Button, new() { Name = "Español" })).ToHaveAttributeAsync("aria-current", "true");

        // The whole journey in Spanish, found by the Spanish labels a Spanish screen-reader user hears.
        var spanish = new PreferencesPage(page, PreferencesPage.Spanish);
        await spanish.VerifyNumberAsync("07700 900311", "+447700900311");
        await Expect(page.GetByText("Aceptar no es una condición para ninguna compra")).ToBeVisibleAsync();
        await spanish.Promotions.CheckAsync();
        await Expect(spanish.HistoryRows.Filter(new() { HasText = "Aceptado" })).ToHaveCountAsync(1);
        await Expect(spanish.HistoryRows.Filter(new() { HasText = "Aceptado" })).ToContainTextAsync("Europe/London");

        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            var grant = await db.ConsentEvents.SingleAsync(e => e.PhoneE164 == "+447700900311" && e.Action == ConsentAction.Granted, TestContext.Current.CancellationToken);
            var shown = await db.ConsentTexts.SingleAsync(t => t.Id == grant.ConsentTextId, TestContext.Current.CancellationToken);
            Assert.Equal(("es", "es", Purpose.Promotions, "Promociones"), (grant.Locale, shown.Language, shown.Purpose, shown.Label));
            Assert.Equal(shown.TextSha256, grant.TextSha256);
            Assert.True(await db.ConsentTextImpressions.AnyAsync(i => i.CustomerId == grant.CustomerId && i.ConsentTextId == shown.Id, TestContext.Current.CancellationToken));
            var code = await db.SmsOutbox.Where(m => m.ToE164 == "+447700900311").OrderBy(m => m.Id).Select(m => m.Body).FirstAsync(TestContext.Current.CancellationToken);
            Assert.StartsWith("Tu clave de PreferenceCenter es ", code, StringComparison.Ordinal);
        }

        // Remembered: the next load is Spanish although the browser asks for English.
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Preferencias de mensajes de texto" }).WaitForAsync();
        await Expect(spanish.Promotions).ToBeCheckedAsync();

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Idioma" }).GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await preferences.OpenAsync();
        await Expect(preferences.Promotions).ToBeCheckedAsync();
    }

    [Fact]
    public async Task SpanishBrowser_GoesFromHomeToTickedPromotionsInSpanish_AndTheTextsLinkOpensOnce()
    {
        var page = await fixture.NewPageAsync(locale: "es-MX");

        await page.GotoAsync(string.Empty);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Tus mensajes, tu decisión");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");

        // A new person, only a number and a code, every step found by its Spanish name.
        await page.GetByRole(AriaRole.Link, new() { Name = "Gestionar mis preferencias de mensajes" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Entra con tu número de teléfono" }).WaitForAsync();
        var preferences = new PreferencesPage(page, PreferencesPage.Spanish);
        await preferences.VerifyNumberAsync("07700 900312", "+447700900312");
        await preferences.Promotions.CheckAsync();
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Aceptado" })).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Cerrar sesión") }).ClickAsync();

        // The Spanish confirmation text's link opens the page once; the second time it says so, in Spanish.
        var link = await new DevSmsPage(page.Context).LatestManageLinkForAsync("+447700900312");
        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Abrir mis preferencias" }).ClickAsync();
        await Expect(preferences.Promotions).ToBeCheckedAsync();
        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Este enlace ya se ha usado" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Recibir un código" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task EmbeddedPage_SwitchesToSpanishInsideTheFrame_AndTheNextLinkOpensInSpanish_WithThirdPartyCookiesBlocked()
    {
        var context = await fixture.NewCookieBlockingContextAsync();
        var page = await context.NewPageAsync();
        var demo = new EmbedDemoPage(page, fixture.App.BaseUrl);
        var shopCustomer = $"shop-es-{Guid.NewGuid():N}";
        await demo.OpenAsync(shopCustomer);

        await demo.Frame.GetByRole(AriaRole.Button, new() { Name = "Español" }).ClickAsync();

        await demo.Frame.GetByRole(AriaRole.Heading, new() { Name = "Preferencias de mensajes de texto" }).WaitForAsync();
        await Expect(demo.Frame.GetByRole(AriaRole.Checkbox, new() { Name = "Promociones" })).ToBeVisibleAsync();
        await Expect(demo.Frame.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(demo.Frame.GetByRole(AriaRole.Button, new() { Name = "Español" })).ToHaveAttributeAsync("aria-pressed", "true");

        // A new page view mints a new link; no cookie reached the frame, the customer record remembers.
        await demo.OpenAsync(shopCustomer, heading: "Preferencias de mensajes de texto");
        Assert.Empty(await context.CookiesAsync([fixture.App.LocalhostUrl]));
    }
}
