using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Messaging;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>What the purpose catalogue asks of settings and texts: a sending number per purpose key, a phrase per language.</summary>
public sealed class PurposeSettingsTests
{
    [Fact]
    public void SendingNumbers_AreFoundByPurposeKey_WhateverTheCase()
    {
        var options = new SmsOptions { SendingNumbers = new() { ["promotions"] = "+447700900002", ["AccountAlerts"] = "+447700900001" } };

        Assert.Equal("+447700900002", options.SendingNumberFor(Purpose.Promotions));
        Assert.Equal("+447700900001", options.SendingNumberFor(Purpose.AccountAlerts));
        Assert.Equal([Purpose.Promotions], options.PurposesSentFrom("+447700900002"));
        Assert.Equal(Purposes.All, options.PurposesSentFrom("+447700900999"));
    }

    [Theory]
    [InlineData("Surveys", "+447700900003", "is not a purpose")]
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

        var phrases = Purposes.All.Select(p => texts.Describe(language, [p])).ToList();

        Assert.All(Purposes.All, p => Assert.DoesNotContain(p.Definition().PhraseKey, phrases));
        Assert.Equal(phrases.Count, phrases.Distinct(StringComparer.Ordinal).Count());
    }
}
