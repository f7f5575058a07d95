using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Messaging;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>Every text we send fits one SMS segment, in both languages, with a realistic brand and link (ADR 22).</summary>
public sealed class SmsSegmentsTests
{
    // The budget the templates are written for: a 21-character brand and a 50-character manage link.
    private const string Brand = "PreferenceCenter Demo";
    private const string Support = "support@preferencecenter.example";
    private const string Link = "https://prefs.example.com/m/AAAAAAAAAAAAAAAAAAAAAA";

    [Theory]
    [InlineData("", 1)]
    [InlineData("a", 1)]
    [InlineData("160 GSM", 1, 160)]
    [InlineData("161 GSM", 2, 161)]
    [InlineData("306 GSM", 2, 306)]
    [InlineData("307 GSM", 3, 307)]
    public void Count_FollowsGsm7Limits_WhenEveryCharacterIsInTheBasicSet(string what, int segments, int length = -1)
    {
        var text = length < 0 ? what : new string('é', length);

        Assert.Equal(SmsEncoding.Gsm7, SmsSegments.EncodingOf(text));
        Assert.Equal(segments, SmsSegments.Count(text));
    }

    [Fact]
    public void Count_TakesTwoSeptetsForAnExtensionCharacter()
    {
        Assert.Equal(1, SmsSegments.Count(new string('a', 158) + "€"));
        Assert.Equal(2, SmsSegments.Count(new string('a', 159) + "€"));
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Count_FollowsUcs2Limits_WhenOneCharacterIsOutsideGsm(int length, int segments)
    {
        var text = "ó" + new string('a', length - 1);

        Assert.Equal(SmsEncoding.Ucs2, SmsSegments.EncodingOf(text));
        Assert.Equal(segments, SmsSegments.Count(text));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    public async Task EveryTemplate_FitsOneSegment_InEachLanguage(string language)
    {
        await using var database = await TestDatabase.CreateAsync();
        var texts = database.Services.GetRequiredService<SmsTexts>();
        await using var db = await database.OpenAsync();
        var labels = await db.ConsentTexts.Where(t => t.Language == language).Select(t => t.Label).Distinct().ToListAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(labels);
        IReadOnlyCollection<Purpose>[] purposeSets = [[Purpose.AccountAlerts], [Purpose.Promotions], PurposeCatalog.Default.All];

        var rendered = new List<(string Template, string Text)>
        {
            ("VerificationCode", texts.Format(language, "VerificationCode", "123456", 10)),
        };
        var twoSegments = new List<(string Template, string Text)>();
        foreach (var purposes in purposeSets)
        {
            twoSegments.Add(("HelpReply", texts.Help(language, Brand, Support, purposes, Link)));
        }

        foreach (var purposes in purposeSets)
        {
            rendered.Add(("OptOutReply", texts.Format(language, "OptOutReply", Brand, texts.Describe(language, purposes))));
            rendered.Add(("OptInReply", texts.Format(language, "OptInReply", Brand, texts.Describe(language, purposes))));
            rendered.Add(("TextChangeNotice", texts.TextChangeNotice(language, Brand, purposes.First(), Link)));
        }

        foreach (var purpose in PurposeCatalog.Default.All)
        {
            twoSegments.Add(("Subscribed", texts.Subscribed(language, Brand, purpose, Link)));
        }

        // The confirmation and HELP reply carry everything carriers require (CTIA), which takes two segments, never more.
        Assert.All(rendered, r => Assert.True(SmsSegments.Count(r.Text) == 1, $"{r.Template} ({language}) takes {SmsSegments.Count(r.Text)} segments ({SmsSegments.EncodingOf(r.Text)}, {r.Text.Length} characters): {r.Text}"));
        Assert.All(twoSegments, r => Assert.True(SmsSegments.Count(r.Text) <= 2 && SmsSegments.EncodingOf(r.Text) == SmsSegments.EncodingOf("GSM"), $"{r.Template} ({language}) takes {SmsSegments.Count(r.Text)} segments ({SmsSegments.EncodingOf(r.Text)}, {r.Text.Length} characters): {r.Text}"));
    }

    [Theory]
    [InlineData("en", "Msg & data rates may apply", "Reply HELP", "STOP to cancel", "Manage: ")]
    [InlineData("es", "Pueden aplicarse tarifas de mensajes y datos", "Responde HELP", "STOP para cancelar", "Gestionar: ")]
    public async Task Confirmation_CarriesBrandFrequencyRatesHelpAndStop_ForEveryPurpose(string language, string rates, string help, string stop, string manage)
    {
        await using var database = await TestDatabase.CreateAsync();
        var texts = database.Services.GetRequiredService<SmsTexts>();

        foreach (var definition in PurposeCatalog.Default.Definitions)
        {
            var text = texts.Subscribed(language, Brand, definition.Purpose, Link);

            Assert.StartsWith(Brand + ":", text, StringComparison.Ordinal);
            Assert.Contains(definition.Phrase(language), text, StringComparison.Ordinal);
            Assert.Contains(definition.Frequency(language), text, StringComparison.Ordinal);
            Assert.Contains(rates, text, StringComparison.Ordinal);
            Assert.Contains(help, text, StringComparison.Ordinal);
            Assert.Contains(stop, text, StringComparison.Ordinal);
            Assert.EndsWith(manage + Link, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("en", "Up to 4 msgs/month", "Msg frequency varies", "Msg & data rates may apply", "STOP to cancel")]
    [InlineData("es", "Hasta 4 msjs/mes", "Frecuencia variable", "Pueden aplicarse tarifas de mensajes y datos", "STOP para cancelar")]
    public async Task HelpReply_CarriesBrandContactFrequencyRatesAndStop_WithOrWithoutALink(string language, string promotionsFrequency, string mixed, string rates, string stop)
    {
        await using var database = await TestDatabase.CreateAsync();
        var texts = database.Services.GetRequiredService<SmsTexts>();

        var promotions = texts.Help(language, Brand, Support, [Purpose.Promotions], link: null);
        var shared = texts.Help(language, Brand, Support, PurposeCatalog.Default.All, Link);

        Assert.All([promotions, shared], t => Assert.StartsWith(Brand + ":", t, StringComparison.Ordinal));
        Assert.All([promotions, shared], t => Assert.Contains(Support, t, StringComparison.Ordinal));
        Assert.All([promotions, shared], t => Assert.Contains(rates, t, StringComparison.Ordinal));
        Assert.All([promotions, shared], t => Assert.Contains(stop, t, StringComparison.Ordinal));
        Assert.Contains(promotionsFrequency, promotions, StringComparison.Ordinal);
        Assert.Contains(mixed, shared, StringComparison.Ordinal);
        Assert.EndsWith(".", promotions, StringComparison.Ordinal);
        Assert.EndsWith(Link, shared, StringComparison.Ordinal);
    }
}
