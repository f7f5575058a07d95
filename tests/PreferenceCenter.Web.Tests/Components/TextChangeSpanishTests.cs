using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.ConsentTexts;
using PreferenceCenter.Infrastructure.Embedding;
using PreferenceCenter.Web.Features.Common;
using PreferenceCenter.Web.Features.ConsentTexts;
using PreferenceCenter.Web.Features.Embedding;

namespace PreferenceCenter.Web.Tests.Components;

/// <summary>
/// The "terms changed" notice in the customer's language (#10): Spanish words around Spanish wording compared with
/// Spanish wording, dates in the page's culture and the browser's zone, and the answer recorded as <c>es</c>.
/// </summary>
public sealed class TextChangeSpanishTests : PreferenceComponentTestContext
{
    private const int AlertsV1 = 1;
    private const int SpanishPromotionsV1 = 4;
    private const string SpanishWording = "Ofertas, productos nuevos e invitaciones a eventos por mensaje de texto, como máximo 8 mensajes al mes. Aceptar no es una condición para ninguna compra. Pueden aplicarse tarifas de mensajes y datos. Responde STOP para darte de baja o HELP para obtener ayuda.";
    private const string SpanishSummary = "Hasta 8 mensajes al mes en lugar de 4.";

    public TextChangeSpanishTests() =>
        JSInterop.SetupModule("http://localhost/js/browser-time.js").Setup<string>("timeZone").SetResult("Europe/Madrid");

    private ClientContext Client => Services.GetRequiredService<ClientContext>();

    [Fact]
    public async Task Notice_IsSpanishWithASpanishDiffAndDeadline_AndKeepRecordsEsUnderTheNewSpanishVersion_WhenThePageIsSpanish()
    {
        Client.UseCulture(CultureInfo.GetCultureInfo("es"));
        await GrantAsync(SpanishPromotionsV1);
        var deadline = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
        var v2 = await PublishAsync("es", "Promociones", SpanishWording, SpanishSummary, deadline);

        var host = RenderWithProviders<TextChangeNotices>(p => p.Add(n => n.CustomerId, CustomerId));
        host.WaitForAssertion(() => Assert.Contains("dic 2026", host.Markup, StringComparison.Ordinal));

        Assert.Equal("Hemos cambiado lo que aceptaste", host.Find("#text-change-heading").TextContent);
        Assert.Contains("Lee qué ha cambiado y dinos si quieres seguir recibiendo estos mensajes.", host.Markup, StringComparison.Ordinal);
        Assert.Equal(["Promociones: nuevas condiciones", "Qué ha cambiado", "El texto, antes y ahora"], host.FindAll("h3, h4").Select(h => h.TextContent.Trim()));
        Assert.Equal(SpanishSummary, host.Find(".text-change-card li").TextContent.Trim());
        var removed = host.Find("del.diff-removed");
        var added = host.Find("ins.diff-added");
        Assert.Equal("Eliminado: 4 (fin del texto eliminado) ", removed.TextContent);
        Assert.Equal("Añadido: 8 (fin del texto añadido) ", added.TextContent);
        Assert.All(host.FindAll(".text-change-card [lang]"), e => Assert.Equal("es", e.GetAttribute("lang")));
        Assert.Contains("Si no respondes antes del 3 dic 2026, 10:00:00 (Europe/Madrid), dejaremos de enviarte estos mensajes.", host.Markup, StringComparison.Ordinal);
        Assert.Equal(["Seguir recibiendo estos mensajes", "Dejar de recibir estos mensajes"], Buttons(host).Select(b => b.TextContent.Trim()));
        Assert.DoesNotContain("Keep these texts", host.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Removed:", host.Markup, StringComparison.Ordinal);

        await Buttons(host).Single(b => b.TextContent.Trim() == "Seguir recibiendo estos mensajes").ClickAsync(new MouseEventArgs());

        Assert.Equal("Guardado: seguirás recibiendo mensajes de promociones con las nuevas condiciones.", host.Find("[role=status]").TextContent);
        Assert.Empty(host.FindAll("#text-change-heading"));
        await using var db = await OpenAsync();
        var kept = await db.ConsentEvents.OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Equal(
            (ConsentAction.Granted, "es", v2.Id, v2.TextSha256, ConsentReasons.KeptAfterChange),
            (kept.Action, kept.Locale, kept.ConsentTextId, kept.TextSha256, kept.Reason));
    }

    [Fact]
    public async Task Notice_Withdraw_IsAnnouncedInSpanish_AndRecordsEsUnderTheNewSpanishVersion()
    {
        Client.UseCulture(CultureInfo.GetCultureInfo("es"));
        await GrantAsync(SpanishPromotionsV1);
        var v2 = await PublishAsync("es", "Promociones", SpanishWording, SpanishSummary);
        var host = RenderWithProviders<TextChangeNotices>(p => p.Add(n => n.CustomerId, CustomerId));
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("#text-change-heading")));

        await Buttons(host).Single(b => b.TextContent.Trim() == "Dejar de recibir estos mensajes").ClickAsync(new MouseEventArgs());

        Assert.Equal("Guardado: no te enviaremos más mensajes de promociones.", host.Find("[role=status]").TextContent);
        await using var db = await OpenAsync();
        var withdrawn = await db.ConsentEvents.OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Equal((ConsentAction.Revoked, "es", v2.Id, ConsentReasons.WithdrawnAfterChange), (withdrawn.Action, withdrawn.Locale, withdrawn.ConsentTextId, withdrawn.Reason));
    }

    [Fact]
    public async Task Notice_AsksOnlyAboutTheEnglishConsent_WhenOnlyEnglishTextsChanged_AndPromotionsStandUnderTheSpanishText()
    {
        // Account alerts agreed to on an English page, promotions on a Spanish one; then both English texts change.
        await GrantAsync(AlertsV1, Client.Evidence(CustomerId), Purpose.AccountAlerts);
        Client.UseCulture(CultureInfo.GetCultureInfo("es"));
        var promotions = await Services.GetRequiredService<IConsentService>().GrantAsync(CustomerId, Purpose.Promotions, SpanishPromotionsV1, Client.Evidence(CustomerId));
        Assert.Equal(ConsentChangeOutcome.Changed, promotions.Outcome);
        await PublishAsync("en", "Promotions", "Offers, partner deals and event invitations by text, at most 8 messages a month.", "Up to 8 texts a month.", deadline: Clock.GetUtcNow().AddDays(7));
        await PublishAsync("en", "Account alerts", "Texts about your account: security codes, sign-in warnings, payment and delivery updates, and service news.", "Service news too.", purpose: Purpose.AccountAlerts);

        var host = RenderWithProviders<TextChangeNotices>(p => p.Add(n => n.CustomerId, CustomerId));
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("#text-change-heading")));

        var card = Assert.Single(host.FindAll(".text-change-card"));
        Assert.Equal(nameof(Purpose.AccountAlerts), card.GetAttribute("data-purpose"));
        Assert.Equal("Avisos de la cuenta: nuevas condiciones", card.QuerySelector("h3")!.TextContent.Trim());
        Assert.DoesNotContain("partner deals", host.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Promociones", host.Markup, StringComparison.Ordinal);
        var pending = Assert.Single(await Services.GetRequiredService<PendingChanges>().ForCustomerAsync(CustomerId));
        Assert.Equal((Purpose.AccountAlerts, "en"), (pending.Purpose, pending.Latest.Language));
    }

    [Fact]
    public async Task Notice_OnAnEnglishPage_ComparesTheSpanishWordingTheCustomerAgreedTo_MarkedAsSpanish()
    {
        Client.UseCulture(CultureInfo.GetCultureInfo("es"));
        await GrantAsync(SpanishPromotionsV1);
        await PublishAsync("en", "Promotions", "Offers, partner deals and event invitations by text, at most 8 messages a month.", "Up to 8 texts a month.");
        await PublishAsync("es", "Promociones", SpanishWording, SpanishSummary);
        Client.UseCulture(CultureInfo.GetCultureInfo("en"));

        var host = RenderWithProviders<TextChangeNotices>(p => p.Add(n => n.CustomerId, CustomerId));
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("#text-change-heading")));

        Assert.Equal("We have changed what you agreed to", host.Find("#text-change-heading").TextContent);
        Assert.Equal(["Keep these texts", "Stop these texts"], Buttons(host).Select(b => b.TextContent.Trim()));
        Assert.Equal(SpanishSummary, host.Find(".text-change-card ul[lang=es] li").TextContent.Trim());
        Assert.Equal("es", host.Find("ins.diff-added").ParentElement!.Closest("[lang]")!.GetAttribute("lang"));
        Assert.All(host.FindAll("ins.diff-added .visually-hidden, del.diff-removed .visually-hidden"), label => Assert.Equal("en", label.GetAttribute("lang")));
        Assert.Equal("Added: 8 (end of added text) ", host.Find("ins.diff-added").TextContent);
        Assert.DoesNotContain("partner deals", host.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbeddedNotice_IsSpanish_ForACustomerWhoChoseSpanishInTheFrame()
    {
        await GrantAsync(SpanishPromotionsV1, Client.Evidence(CustomerId) with { Locale = "es" });
        var v2 = await PublishAsync("es", "Promociones", SpanishWording, SpanishSummary);
        var session = new EmbedSession("shop", "Example Shop", CustomerId, "https://shop.example", null, null, false, PreferredLanguage: "es");

        var cut = Render<EmbeddedPreferences>(p => p.Add(c => c.Session, session));
        cut.WaitForAssertion(() => Assert.Equal("Hemos cambiado lo que aceptaste", cut.Find("#text-change-heading").TextContent));
        await Buttons(cut).Single(b => b.TextContent.Trim() == "Seguir recibiendo estos mensajes").ClickAsync(new MouseEventArgs());

        cut.WaitForAssertion(() => Assert.Contains("Guardado: seguirás recibiendo mensajes de promociones con las nuevas condiciones.", cut.Markup, StringComparison.Ordinal));
        await using var db = await OpenAsync();
        var kept = await db.ConsentEvents.OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Equal(("embedded:shop", "es", v2.Id, ConsentReasons.KeptAfterChange), (kept.Method, kept.Locale, kept.ConsentTextId, kept.Reason));
    }

    private async Task GrantAsync(int textId, ConsentEvidence? evidence = null, Purpose? purpose = null)
    {
        await VerifyNumberAsync();
        var result = await Services.GetRequiredService<IConsentService>().GrantAsync(CustomerId, purpose ?? Purpose.Promotions, textId, evidence ?? Client.Evidence(CustomerId));
        Assert.Equal(ConsentChangeOutcome.Changed, result.Outcome);
    }

    private async Task<ConsentText> PublishAsync(string language, string label, string body, string summary, DateTimeOffset? deadline = null, Purpose? purpose = null)
    {
        var admin = Services.GetRequiredService<ConsentTextAdmin>();
        var draft = await admin.CreateDraftAsync(new ConsentTextDraft(purpose ?? Purpose.Promotions, language, ConsentTextKind.Material, label, body, summary, deadline), "admin");
        return await admin.PublishAsync(draft.Id, "admin");
    }

    private static IEnumerable<IElement> Buttons<T>(IRenderedComponent<T> host)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        host.FindAll(".text-change-card button");
}
