using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Embedding;
using PreferenceCenter.Web.Features.Embedding;

namespace PreferenceCenter.Web.Tests.Components;

public sealed class EmbeddedPreferencesTests : PreferenceComponentTestContext
{
    private const string HostOrigin = "https://shop.example";

    [Fact]
    public async Task EmbeddedPreferences_RecordsEmbeddedMethodAndHostOrigin_AndTellsTheHost()
    {
        await VerifyNumberAsync();
        var session = new EmbedSession("shop", "Example Shop", CustomerId, HostOrigin, "#00695c", "https://shop.example/logo.png", false);

        var cut = Render<EmbeddedPreferences>(p => p.Add(c => c.Session, session));
        cut.WaitForState(() => cut.FindAll("input[type=checkbox]").Count == 2);
        await cut.FindAll("input[type=checkbox]")[1].ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        await using var db = await OpenAsync();
        var grant = await db.ConsentEvents.SingleAsync(e => e.CustomerId == CustomerId);
        Assert.Equal(("embedded:shop", HostOrigin, Purpose.Promotions), (grant.Method, grant.Origin, grant.Purpose));
        Assert.Equal(2, await db.ConsentTextImpressions.CountAsync(i => i.CustomerId == CustomerId && i.Method == "embedded:shop" && i.Origin == HostOrigin));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "notify" && i.Arguments[1] is "consent-changed");
        Assert.Contains("Choose which texts Example Shop may send", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("alt=\"Example Shop\"", cut.Markup, StringComparison.Ordinal);

        // No account here, so no links into the signed-in site's receipts or downloads.
        Assert.DoesNotContain("preferences/receipts", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("history.json", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("DeletePersonalData", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbeddedPreferences_ShowsSpanishTexts_AndRecordsLocaleEsWithTheSpanishVersion_WhenTheCustomerChoseSpanish()
    {
        await VerifyNumberAsync();
        var session = new EmbedSession("shop", "Example Shop", CustomerId, HostOrigin, null, null, false, PreferredLanguage: "es");

        var cut = Render<EmbeddedPreferences>(p => p.Add(c => c.Session, session));
        cut.WaitForState(() => cut.FindAll("input[type=checkbox]").Count == 2);
        Assert.Contains("Elige qué mensajes puede enviar Example Shop", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Aceptar no es una condición para ninguna compra", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Tu número de teléfono", cut.Markup, StringComparison.Ordinal);
        await cut.FindAll("input[type=checkbox]")[1].ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        await using var db = await OpenAsync();
        var grant = await db.ConsentEvents.SingleAsync(e => e.CustomerId == CustomerId);
        var spanishPromotions = await db.ConsentTexts.SingleAsync(t => t.Purpose == Purpose.Promotions && t.Language == "es");
        Assert.Equal(("es", spanishPromotions.Id, spanishPromotions.TextSha256), (grant.Locale, grant.ConsentTextId, grant.TextSha256));
        var shown = await db.ConsentTextImpressions.Where(i => i.CustomerId == CustomerId).Select(i => i.ConsentTextId).OrderBy(i => i).ToListAsync();
        Assert.Equal(await db.ConsentTexts.Where(t => t.Language == "es").Select(t => t.Id).OrderBy(i => i).ToListAsync(), shown);
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "set" && i.Arguments[0] is "es");
    }

    [Fact]
    public async Task EmbeddedPreferences_SwitchesLanguageInPlace_AndRemembersTheChoiceOnTheCustomer()
    {
        await VerifyNumberAsync();
        var session = new EmbedSession("shop", "Example Shop", CustomerId, HostOrigin, null, null, false);
        var cut = Render<EmbeddedPreferences>(p => p.Add(c => c.Session, session));
        cut.WaitForState(() => cut.FindAll("input[type=checkbox]").Count == 2);
        Assert.Contains("Choose which texts Example Shop may send", cut.Markup, StringComparison.Ordinal);

        await cut.Find("button[lang=es]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        cut.WaitForAssertion(() => Assert.Contains("Elige qué mensajes puede enviar Example Shop", cut.Markup, StringComparison.Ordinal));
        Assert.Contains("Ofertas, productos nuevos", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("true", cut.Find("button[lang=es]").GetAttribute("aria-pressed"));
        await using var db = await OpenAsync();
        Assert.Equal("es", await db.Customers.Where(c => c.Id == CustomerId).Select(c => c.PreferredLanguage).SingleAsync());
        Assert.Equal(4, await db.ConsentTextImpressions.CountAsync(i => i.CustomerId == CustomerId));
    }
}
