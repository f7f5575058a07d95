using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PreferenceCenter.Domain.Consents;
using ConsentTextAdmin = PreferenceCenter.Infrastructure.ConsentTexts.ConsentTextAdmin;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using static PreferenceCenter.EndToEnd.Tests.Infrastructure.Axe;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>An admin publishes a material change; a customer who agreed before is asked and answers with the keyboard (#10).</summary>
[Collection(BrowserGroup.Name)]
public sealed class TextChangeJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task MaterialChange_AsksTheCustomerWhoAgreedBefore_AndKeepIsSavedUnderTheNewVersion()
    {
        // A customer agrees to promotions under today's wording.
        var customer = await fixture.NewPageAsync();
        var preferences = new PreferencesPage(customer);
        await preferences.SignInWithPhoneAsync("07700 900231", "+447700900231");
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await preferences.LatestReceiptLink.WaitForAsync();
        var notice = new TextChangeNotice(customer);
        await Expect(notice.Heading).ToHaveCountAsync(0);

        // An admin drafts, previews and publishes a material change.
        var adminPage = await fixture.NewStaffPageAsync("Admin", "texts-admin");
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

        // Until answered, the ticked box stands for the earlier wording the customer agreed to, and says so.
        var earlier = customer.GetByText("You agreed to this earlier wording.");
        await Expect(earlier).ToBeVisibleAsync();
        await Expect(preferences.Promotions).ToBeCheckedAsync();
        await Expect(customer.GetByText("at most 4 messages a month", new() { Exact = false })).ToBeVisibleAsync();
        await AssertAccessibleAsync(customer, "preferences with the change notice");
        await customer.Keyboard.PressAsync("Tab");
        await Expect(notice.Keep).ToBeFocusedAsync();
        await customer.Keyboard.PressAsync("Enter");

        await Expect(notice.Status).ToHaveTextAsync("Saved: you will keep getting promotions texts under the new terms.");
        await Expect(notice.Heading).ToHaveCountAsync(0);
        await Expect(preferences.Promotions).ToBeCheckedAsync();
        await Expect(earlier).ToHaveCountAsync(0);
        await Expect(customer.GetByText(wording)).ToBeVisibleAsync();
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "kept after change" })).ToHaveCountAsync(1);

        // Agents see the answer counted against the new version.
        await adminPage.GotoAsync("agent/consent-texts");
        await adminPage.GetByRole(AriaRole.Table).WaitForAsync();
        await AssertAccessibleAsync(adminPage, "consent text answers");
    }

    [Fact]
    public async Task SpanishMaterialChange_AsksASpanishCustomerInSpanish_AndKeepIsSavedAsEsUnderTheNewSpanishVersion()
    {
        // A customer whose browser speaks Mexican Spanish, in Mexico City, agrees to promotions in Spanish.
        var customer = await fixture.NewPageAsync(timeZone: "America/Mexico_City", locale: "es-MX");
        var preferences = new PreferencesPage(customer, PreferencesPage.Spanish);
        await preferences.SignInWithPhoneAsync("07700 900241", "+447700900241");
        await preferences.Promotions.CheckAsync();
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Aceptado" })).ToHaveCountAsync(1);

        // The Spanish wording changes materially (the English one does not), with a deadline.
        var deadline = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(30), TimeSpan.Zero);
        var admin = fixture.App.Services.GetRequiredService<ConsentTextAdmin>();
        var draft = await admin.CreateDraftAsync(
            new ConsentTextDraft(Purpose.Promotions, "es", ConsentTextKind.Material, "Promociones", "Ofertas, productos nuevos e invitaciones a eventos por mensaje de texto, como máximo 8 mensajes al mes. Aceptar no es una condición para ninguna compra. Pueden aplicarse tarifas de mensajes y datos. Responde STOP para darte de baja o HELP para obtener ayuda.", "Hasta 8 mensajes al mes en lugar de 4.", deadline),
            "admin@example.test");
        var spanishV2 = await admin.PublishAsync(draft.Id, "admin@example.test");

        // Next visit: the notice in Spanish, focused, the Spanish wording compared with the Spanish wording.
        var notice = new TextChangeNotice(customer, "es");
        await customer.ReloadAsync();
        await Expect(notice.Heading).ToBeFocusedAsync();
        await Expect(customer.GetByRole(AriaRole.Heading, new() { Name = "Promociones: nuevas condiciones" })).ToBeVisibleAsync();
        await Expect(customer.GetByText("Hasta 8 mensajes al mes en lugar de 4.")).ToBeVisibleAsync();
        await Expect(notice.Added.Filter(new() { HasText = "Añadido: 8" })).ToHaveCountAsync(1);
        await Expect(notice.Removed.Filter(new() { HasText = "Eliminado: 4" })).ToHaveCountAsync(1);
        var local = TimeZoneInfo.ConvertTime(deadline, TimeZoneInfo.FindSystemTimeZoneById("America/Mexico_City"));
        var es = CultureInfo.GetCultureInfo("es");
        await Expect(customer.GetByText($"Si no respondes antes del {local.ToString("d MMM yyyy", es)}, {local.ToString("T", es)} (America/Mexico_City), dejaremos de enviarte estos mensajes.")).ToBeVisibleAsync();
        await Expect(notice.Withdraw).ToBeVisibleAsync();
        await AssertAccessibleAsync(customer, "Spanish preferences with the change notice");

        await customer.Keyboard.PressAsync("Tab");
        await Expect(notice.Keep).ToBeFocusedAsync();
        await customer.Keyboard.PressAsync("Enter");

        await Expect(notice.Status).ToHaveTextAsync("Guardado: seguirás recibiendo mensajes de promociones con las nuevas condiciones.");
        await Expect(notice.Heading).ToHaveCountAsync(0);
        await Expect(preferences.Promotions).ToBeCheckedAsync();
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "mantenido tras el cambio de condiciones" })).ToHaveCountAsync(1);
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var kept = await db.ConsentEvents.Where(e => e.PhoneE164 == "+447700900241").OrderByDescending(e => e.Sequence).FirstAsync(TestContext.Current.CancellationToken);
        Assert.Equal(
            (ConsentAction.Granted, "es", spanishV2.Id, spanishV2.TextSha256, ConsentReasons.KeptAfterChange),
            (kept.Action, kept.Locale, kept.ConsentTextId, kept.TextSha256, kept.Reason));
    }
}
