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
            ("HelpReply", texts.Format(language, "HelpReply", Brand, Support, Link)),
        };
        foreach (var purposes in purposeSets)
        {
            rendered.Add(("OptOutReply", texts.Format(language, "OptOutReply", Brand, texts.Describe(language, purposes))));
            rendered.Add(("OptInReply", texts.Format(language, "OptInReply", Brand, texts.Describe(language, purposes))));
            rendered.Add(("TextChangeNotice", texts.TextChangeNotice(language, Brand, purposes.First(), Link)));
        }

        foreach (var label in labels)
        {
            rendered.Add(("Subscribed", texts.Format(language, "Subscribed", Brand, label.ToLowerInvariant(), Link)));
        }

        Assert.All(rendered, r => Assert.True(SmsSegments.Count(r.Text) == 1, $"{r.Template} ({language}) takes {SmsSegments.Count(r.Text)} segments ({SmsSegments.EncodingOf(r.Text)}, {r.Text.Length} characters): {r.Text}"));
    }
}
