using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.ConsentTexts;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.OptIns;
using PreferenceCenter.Infrastructure.Purposes;
using PreferenceCenter.Web.Features.OptInCodes;

namespace PreferenceCenter.Web.Tests.Components;

/// <summary>The opt-in codes page (#21): a code and a poster per purpose, with the words carriers expect.</summary>
public sealed class OptInCodeComponentTests : PreferenceComponentTestContext
{
    public OptInCodeComponentTests()
    {
        Services.Configure<OptInRequestOptions>(o => o.Keywords["Promotions"] = ["Deals"]);
        Services.Configure<SmsOptions>(o => (o.BusinessName, o.SendingNumbers["Promotions"]) = ("Acme Shoes", "+447700900002"));
        Services.Configure<ConsentTextOptions>(o => o.PreferencesUrl = "https://prefs.example.com/preferences");
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Sms:Twilio:DefaultFromE164"] = "+15005550006" }).Build());
    }

    [Fact]
    public async Task CodeList_ShowsEveryPurpose_IncludingOneAddedAtRuntime()
    {
        await Services.GetRequiredService<PurposeRegistry>().AddAsync(
            new PurposeDraft("Surveys", "Surveys", "Encuestas", "survey texts", "las encuestas", "up to 2 msgs/month", "hasta 2 msjs/mes", true, null,
                "Surveys", "Two surveys a month. Msg & data rates may apply. Reply STOP to opt out, HELP for help.", "Encuestas", "Dos encuestas al mes. Responde STOP para cancelar."),
            "admin@example.test");

        var host = RenderList();

        Assert.Equal(["Account alerts", "Promotions", "Surveys"], host.FindAll("h2").Select(h => h.TextContent.Trim()));
        var surveys = host.Find("#opt-in-code-Surveys");
        Assert.Contains("+1 500-555-0006 (the default sender)", surveys.TextContent, StringComparison.Ordinal);
        Assert.Contains("Surveys has no sending number of its own, so this code uses the default sender.", surveys.TextContent, StringComparison.Ordinal);
        Assert.Equal("sms:+15005550006?body=JOIN", Value(surveys, "sms: link for Surveys"));
        // JOIN to a number no purpose has as its own asks about every purpose (as the inbound handler does), and the poster says so.
        Assert.Contains("asks about Account alerts, Promotions and Surveys together", surveys.TextContent, StringComparison.Ordinal);
        Assert.Contains("to get all our texts. We will text you once to confirm. Msg frequency varies.", Poster(host, "Surveys", "en").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void CodeList_ShowsThePurposesOwnKeywordAndNumber_WhenOptInRequestsKeywordsPromotionsIsSet()
    {
        var promotions = RenderList().Find("#opt-in-code-Promotions");

        Assert.Contains("DEALS (its own keyword, from OptInRequests:Keywords:Promotions)", promotions.TextContent, StringComparison.Ordinal);
        Assert.Contains("+44 7700 900002", promotions.TextContent, StringComparison.Ordinal);
        Assert.Equal("sms:+447700900002?body=DEALS", Value(promotions, "sms: link for Promotions"));
        var qr = promotions.QuerySelector("img.opt-in-code__qr")!;
        Assert.Equal("QR code: text DEALS to +44 7700 900002", qr.GetAttribute("alt"));
        Assert.Equal("admin/opt-in-codes/Promotions.svg", qr.GetAttribute("src"));
        Assert.Equal("opt-in-promotions-deals.png", promotions.QuerySelectorAll("a").Single(a => a.TextContent.StartsWith("Download PNG", StringComparison.Ordinal)).GetAttribute("download"));
    }

    [Fact]
    public void Poster_CarriesBrandWhatFrequencyRatesHelpStopAndTerms_InEnglishAndSpanish()
    {
        var host = RenderList();

        var english = Poster(host, "Promotions", "en").TextContent;
        Assert.Contains("Text DEALS to 07700 900002", english, StringComparison.Ordinal);
        Assert.Contains("Acme Shoes: Text DEALS to 07700 900002 to get promotional texts.", english, StringComparison.Ordinal);
        Assert.Contains("Up to 4 msgs/month. Msg & data rates may apply. Reply HELP for help, STOP to cancel.", english, StringComparison.Ordinal);
        Assert.Contains("Terms & privacy: https://prefs.example.com/preferences", english, StringComparison.Ordinal);

        var spanish = Poster(host, "Promotions", "es").TextContent;
        Assert.Contains("Envía DEALS al 07700 900002", spanish, StringComparison.Ordinal);
        Assert.Contains("Acme Shoes: Envía DEALS al 07700 900002 para recibir los mensajes promocionales.", spanish, StringComparison.Ordinal);
        Assert.Contains("Hasta 4 msjs/mes. Pueden aplicarse tarifas de mensajes y datos. Responde HELP para ayuda, STOP para cancelar.", spanish, StringComparison.Ordinal);
        Assert.Contains("Términos y privacidad: https://prefs.example.com/preferences", spanish, StringComparison.Ordinal);
        Assert.Equal("Código QR: envía DEALS al 07700 900002", Poster(host, "Promotions", "es").QuerySelector("img")!.GetAttribute("alt"));
    }

    [Fact]
    public async Task PrintButton_MarksOnlyItsPosterForPrintingAndOpensThePrintDialog()
    {
        var host = RenderList();
        // Before any choice, Ctrl+P prints the first poster rather than a blank page.
        Assert.Single(host.FindAll(".opt-in-poster--print"));

        await host.FindAll("button").Single(b => b.TextContent.Trim() == "Print the Spanish poster for Promotions").ClickAsync(new MouseEventArgs());

        Assert.Equal("opt-in-poster-Promotions-es", host.FindAll(".opt-in-poster--print").Single().Id);
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "print");
    }

    private IRenderedComponent<ProvidersHost> RenderList()
    {
        var book = OptInCodeBook.Create(Services);
        return Render<ProvidersHost>(p => p.AddChildContent<OptInCodeList>(l => l.Add(x => x.Book, book)));
    }

    private static IElement Poster(IRenderedComponent<ProvidersHost> host, string purpose, string language) =>
        host.Find($"#opt-in-poster-{purpose}-{language}[lang={language}]");

    private static string? Value(IElement card, string label) =>
        card.QuerySelector($"#{card.QuerySelectorAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for")}")!.GetAttribute("value");
}

/// <summary>A purpose with no number and no default sender: the page says so instead of failing.</summary>
public sealed class OptInCodeWithoutNumberComponentTests : PreferenceComponentTestContext
{
    public OptInCodeWithoutNumberComponentTests() =>
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());

    [Fact]
    public void CodeList_ExplainsThereIsNothingToText_WhenNeitherThePurposeNorADefaultSenderHasANumber()
    {
        var host = Render<ProvidersHost>(p => p.AddChildContent<OptInCodeList>(l => l.Add(x => x.Book, OptInCodeBook.Create(Services))));

        var promotions = host.Find("#opt-in-code-Promotions");
        Assert.Contains("None configured", promotions.TextContent, StringComparison.Ordinal);
        Assert.Contains("No number is configured: Promotions has no sending number of its own and there is no default sender", promotions.TextContent, StringComparison.Ordinal);
        Assert.Empty(promotions.QuerySelectorAll("img"));
        Assert.Empty(host.FindAll(".opt-in-poster"));
        Assert.Contains("No terms and privacy link is configured", host.Markup, StringComparison.Ordinal);
    }
}
