using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>The purpose catalogue as data: seeded by the migration, added to by an admin, read by every instance.</summary>
public sealed class PurposeSettingsTests
{
    private static readonly PurposeDraft Surveys = new(
        "Surveys", "Surveys", "Encuestas", "survey texts", "las encuestas", "up to 2 msgs/month", "hasta 2 msjs/mes",
        Marketing: true, "+15005550011", "Surveys", "Short surveys about your orders by text, up to 2 a month. Reply STOP to opt out.",
        "Encuestas", "Encuestas cortas sobre tus pedidos por mensaje, hasta 2 al mes. Responde STOP para darte de baja.");

    [Fact]
    public async Task SendingNumbers_AreFoundByPurposeKey_WhateverTheCase()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Sms:SendingNumbers:promotions"] = "+447700900002", ["Sms:SendingNumbers:AccountAlerts"] = "+447700900001" });
        var registry = database.Services.GetRequiredService<PurposeRegistry>();

        Assert.Equal("+447700900002", registry.SendingNumberFor(Purpose.Promotions));
        Assert.Equal("+447700900001", registry.SendingNumberFor(Purpose.AccountAlerts));
        Assert.Equal([Purpose.Promotions], registry.PurposesSentFrom("+447700900002"));
        Assert.Equal(PurposeCatalog.Default.All, registry.PurposesSentFrom("+447700900999"));
    }

    [Theory]
    [InlineData("sur veys", "+447700900003", "is not a purpose key")]
    [InlineData("Promotions", "07700 900002", "must be an E.164 number")]
    public void Validation_RefusesTheSetting_WhenTheKeyOrNumberIsWrong(string key, string number, string expected)
    {
        var options = new SmsOptions { SendingNumbers = new() { [key] = number } };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.ErrorMessage!.Contains(expected, StringComparison.Ordinal) && e.ErrorMessage.Contains(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    public async Task EveryPurpose_HasItsOwnPhraseInTexts_InEachLanguage(string language)
    {
        await using var database = await TestDatabase.CreateAsync();
        var texts = database.Services.GetRequiredService<SmsTexts>();

        var phrases = PurposeCatalog.Default.All.Select(p => texts.Describe(language, [p])).ToList();

        Assert.All(phrases, p => Assert.False(string.IsNullOrWhiteSpace(p)));
        Assert.Equal(phrases.Count, phrases.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task AddAsync_StoresThePurposeAndPublishesItsWording_InEveryLanguage(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var registry = database.Services.GetRequiredService<PurposeRegistry>();

        var added = await registry.AddAsync(Surveys, "admin@example.test");

        Assert.Equal(3, added.Order);
        Assert.Equal([Purpose.AccountAlerts, Purpose.Promotions, added.Purpose], registry.All);
        Assert.Equal("+15005550011", registry.SendingNumberFor(added.Purpose));
        Assert.Equal([added.Purpose], registry.PurposesSentFrom("+15005550011"));
        await using var db = await database.OpenAsync();
        var texts = await db.ConsentTexts.Where(t => t.Purpose == added.Purpose).OrderBy(t => t.Language).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([("en", 1, "Surveys"), ("es", 1, "Encuestas")], texts.Select(t => (t.Language, t.Version, t.Label)));
        Assert.All(texts, t => Assert.True(t.IsPublished));
        Assert.Contains(texts[0].Id, (await database.Consents.GetCurrentTextsAsync("en", TestContext.Current.CancellationToken)).Select(t => t.Id));
    }

    [Fact]
    public async Task AddAsync_SavesNothing_WhenTheKeyIsTakenOrAFieldIsMissing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Services.GetRequiredService<PurposeRegistry>();
        await using var before = await database.OpenAsync();
        var textsBefore = await before.ConsentTexts.CountAsync(TestContext.Current.CancellationToken);

        var taken = await Assert.ThrowsAsync<ConsentTextDraftException>(() => registry.AddAsync(Surveys with { Key = "PROMOTIONS" }, "admin"));
        var missing = await Assert.ThrowsAsync<ConsentTextDraftException>(() => registry.AddAsync(Surveys with { BodyEs = " " }, "admin"));

        Assert.Contains("Key", taken.Errors.Keys);
        Assert.Contains("BodyEs", missing.Errors.Keys);
        await using var after = await database.OpenAsync();
        Assert.Equal(2, await after.Purposes.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(textsBefore, await after.ConsentTexts.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnotherInstance_SeesAnAddedPurpose_WithinHalfAMinute()
    {
        await using var first = await TestDatabase.CreateAsync();
        await using var second = await first.StartSecondInstanceAsync();
        var theirs = second.Services.GetRequiredService<PurposeRegistry>();
        Assert.Equal(2, theirs.All.Count);

        await first.Services.GetRequiredService<PurposeRegistry>().AddAsync(Surveys, "admin");
        second.Clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Contains(Purpose.FromKey("Surveys"), theirs.All);
    }
}
