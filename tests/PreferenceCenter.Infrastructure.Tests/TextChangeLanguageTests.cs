using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Infrastructure.ConsentTexts;
using static PreferenceCenter.Infrastructure.Tests.ConsentTextVersionTests;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>
/// A material change in one language (#10): only consents under that language's older wording are asked, lapse or
/// are texted; the once-only text is in the customer's language.
/// </summary>
public sealed partial class TextChangeLanguageTests
{
    private const int SpanishPromotionsV1 = 4;

    [Fact]
    public async Task EnglishMaterialChange_NeitherAsksNorTextsNorLapses_ACustomerUnderTheSpanishText()
    {
        await using var database = await TestDatabase.CreateAsync(ConsentTextJobTests.Settings);
        var english = await database.CreateVerifiedCustomerAsync("+447700900701");
        var spanish = await database.CreateVerifiedCustomerAsync("+447700900702");
        await database.Consents.GrantAsync(english, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(english));
        await database.Consents.GrantAsync(spanish, Purpose.Promotions, SpanishPromotionsV1, Spanish(spanish));
        var deadline = database.Clock.GetUtcNow().AddDays(7);
        var englishV2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "Offers and partner deals, up to 8 a month.", deadline: deadline);
        var pending = database.Services.GetRequiredService<PendingChanges>();
        var job = database.Services.GetRequiredService<ReconfirmationJob>();

        Assert.Equal(englishV2.Id, Assert.Single(await pending.ForCustomerAsync(english)).Latest.Id);
        Assert.Empty(await pending.ForCustomerAsync(spanish));
        Assert.Equal(1, (await job.RunOnceAsync(CancellationToken.None)).Notified);

        database.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(1, (await job.RunOnceAsync(CancellationToken.None)).Lapsed);

        Assert.False(Promotions(await database.Consents.GetStatesAsync(english)).Granted);
        var kept = Promotions(await database.Consents.GetStatesAsync(spanish));
        Assert.Equal((true, (int?)SpanishPromotionsV1), (kept.Granted, kept.ConsentTextId));
        Assert.Empty(await NoticesToAsync(database, "+447700900702"));
        await using var db = await database.OpenAsync();
        Assert.False(await db.TextChangeNotices.AnyAsync(n => n.CustomerId == spanish));
    }

    [Fact]
    public async Task SpanishMaterialChange_AsksOnlyTheSpanishConsent_ComparingSpanishWithSpanish()
    {
        await using var database = await TestDatabase.CreateAsync(ConsentTextJobTests.Settings);
        var english = await database.CreateVerifiedCustomerAsync("+447700900711");
        var spanish = await database.CreateVerifiedCustomerAsync("+447700900712");
        await database.Consents.GrantAsync(english, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(english));
        await database.Consents.GrantAsync(spanish, Purpose.Promotions, SpanishPromotionsV1, Spanish(spanish));

        var spanishV2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promociones", "Ofertas y promociones de socios, hasta 8 mensajes al mes.", summary: "Hasta 8 mensajes al mes, también de socios.", language: "es");
        var pending = database.Services.GetRequiredService<PendingChanges>();

        Assert.Empty(await pending.ForCustomerAsync(english));
        var change = Assert.Single(await pending.ForCustomerAsync(spanish));
        Assert.Equal((SpanishPromotionsV1, spanishV2.Id, "es", "es"), (change.ConsentedTo.Id, change.Latest.Id, change.ConsentedTo.Language, change.Latest.Language));
        Assert.Equal(["Hasta 8 mensajes al mes, también de socios."], change.Summaries);
        Assert.Contains(ConsentTextDiff.Words(change.ConsentedTo.Body, change.Latest.Body), s => s.Kind == DiffKind.Added && s.Text.Contains("socios", StringComparison.Ordinal));
        Assert.Equal(1, (await database.Services.GetRequiredService<ReconfirmationJob>().RunOnceAsync(CancellationToken.None)).Notified);
        Assert.Empty(await NoticesToAsync(database, "+447700900711"));
    }

    [Fact]
    public async Task SmsNotice_SpanishForASpanishCustomer_EnglishForAnEnglishOne_ByTheRuleEveryTextFollows()
    {
        await using var database = await TestDatabase.CreateAsync(ConsentTextJobTests.Settings);
        var directory = database.Services.GetRequiredService<ICustomerDirectory>();

        // Chose Spanish on the page, although their latest change was recorded from an English page.
        var chose = await database.CreateVerifiedCustomerAsync("+447700900721");
        await directory.SetPreferredLanguageAsync(chose, "es");
        await database.Consents.GrantAsync(chose, Purpose.Promotions, SpanishPromotionsV1, TestDatabase.Evidence(chose));

        // Chose nothing; their latest change was made on a Spanish page.
        var latest = await database.CreateVerifiedCustomerAsync("+447700900722");
        await database.Consents.GrantAsync(latest, Purpose.Promotions, SpanishPromotionsV1, Spanish(latest));

        // Chose English, and agreed to the English text.
        var english = await database.CreateVerifiedCustomerAsync("+447700900723");
        await directory.SetPreferredLanguageAsync(english, "en");
        await database.Consents.GrantAsync(english, Purpose.Promotions, PromotionsV1, Spanish(english));

        await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promociones", "Ofertas y promociones de socios.", language: "es");
        await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "Offers and partner deals.");
        var run = await database.Services.GetRequiredService<ReconfirmationJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(3, run.Notified);
        const string InSpanish = "Acme: nuevas condiciones de los mensajes promocionales. Consulta y elige: https://prefs.example/m/{token} STOP para baja.";
        Assert.Equal([InSpanish], await NoticesToAsync(database, "+447700900721"));
        Assert.Equal([InSpanish], await NoticesToAsync(database, "+447700900722"));
        Assert.Equal(["Acme: our terms for promotional texts changed. Keep or stop them: https://prefs.example/m/{token} STOP to opt out."], await NoticesToAsync(database, "+447700900723"));
    }

    private static ConsentEvidence Spanish(Guid customerId) => TestDatabase.Evidence(customerId) with { Locale = "es" };

    private static ConsentStateView Promotions(IReadOnlyList<ConsentStateView> states) => states.Single(s => s.Purpose == Purpose.Promotions);

    private static async Task<List<string>> NoticesToAsync(TestDatabase database, string number)
    {
        await using var db = await database.OpenAsync();
        return (await db.SmsOutbox.Where(m => m.ToE164 == number && m.Kind == SmsKind.Promotion && m.Body.Contains("https://prefs.example/m/")).Select(m => m.Body).ToListAsync()).Select(b => ManageToken().Replace(b, "/m/{token}")).ToList();
    }

    [System.Text.RegularExpressions.GeneratedRegex("/m/[A-Za-z0-9_-]{22}")]
    private static partial System.Text.RegularExpressions.Regex ManageToken();
}
