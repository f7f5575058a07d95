using System.Text.Json;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Domain.Tests;

public sealed class PurposeCatalogTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static PurposeDraft Surveys => new(
        "Surveys", "Surveys", "Encuestas", "survey texts", "las encuestas", "up to 2 msgs/month", "hasta 2 msjs/mes",
        Marketing: true, "+15005550011", "Surveys", "Short surveys about your orders by text, up to 2 a month. Reply STOP to opt out.",
        "Encuestas", "Encuestas cortas sobre tus pedidos por mensaje, hasta 2 al mes. Responde STOP para darte de baja.");

    [Fact]
    public void Default_HoldsTheTwoSeededPurposes_InPageOrder()
    {
        Assert.Equal([Purpose.AccountAlerts, Purpose.Promotions], PurposeCatalog.Default.All);
        Assert.Equal(PurposeCatalog.Default.All.Count, PurposeCatalog.Default.Definitions.Select(d => d.Order).Distinct().Count());
    }

    [Fact]
    public void Lapses_HoldsOnlyForPromotions_WhenSeeded()
    {
        Assert.False(PurposeCatalog.Default.Lapses(Purpose.AccountAlerts));
        Assert.True(PurposeCatalog.Default.Lapses(Purpose.Promotions));
        Assert.Equal([Purpose.Promotions], PurposeCatalog.Default.ThatLapse);
    }

    [Fact]
    public void Definition_GivesEachPurposeItsOwnTextKind_AndRefusesAnUnknownOne()
    {
        Assert.Equal(SmsKind.AccountAlert, PurposeCatalog.Default.Definition(Purpose.AccountAlerts).TextKind);
        Assert.Equal(SmsKind.Promotion, PurposeCatalog.Default.Definition(Purpose.Promotions).TextKind);
        Assert.Throws<ArgumentOutOfRangeException>(() => PurposeCatalog.Default.Definition(Purpose.FromKey("Surveys")));
    }

    [Theory]
    [InlineData("promotions")]
    [InlineData("PROMOTIONS")]
    [InlineData(" Promotions ")]
    public void TryParse_FindsAPurpose_WhateverItsCase(string text)
    {
        Assert.True(PurposeCatalog.Default.TryParse(text, out var purpose));
        Assert.Equal(Purpose.Promotions, purpose);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("Surveys")]
    [InlineData("Promotions; DROP TABLE")]
    public void TryParse_Refuses_WhenNotInTheCatalogue(string? text)
    {
        Assert.False(PurposeCatalog.Default.TryParse(text, out _));
    }

    [Fact]
    public void NewPurpose_JoinsTheCatalogue_WithItsOwnRules()
    {
        Assert.Empty(Surveys.Validate(PurposeCatalog.Default, Now));
        var surveys = PurposeDefinition.Create(Surveys, 3, Now);
        var catalog = new PurposeCatalog([.. PurposeCatalog.Default.Definitions, surveys]);

        Assert.Equal([Purpose.AccountAlerts, Purpose.Promotions, Purpose.FromKey("Surveys")], catalog.All);
        Assert.True(catalog.Lapses(surveys.Purpose));
        Assert.Equal("Encuestas", catalog.Name(surveys.Purpose, "es-MX"));
        Assert.Equal("survey texts", surveys.Phrase("en"));
        Assert.Equal("+15005550011", surveys.SendingNumber);
        Assert.Equal(SmsKind.Promotion, surveys.TextKind);
    }

    [Theory]
    [InlineData("promotions", "Key")]
    [InlineData("Promotions", "Key")]
    [InlineData("surveys", "Key")]
    [InlineData("Sur veys", "Key")]
    [InlineData("S", "Key")]
    public void Validate_RefusesTheKey_WhenMalformedOrTaken(string key, string field)
    {
        Assert.Contains(field, (Surveys with { Key = key }).Validate(PurposeCatalog.Default, Now).Keys);
    }

    [Fact]
    public void Validate_NamesEveryMissingField_WhenTheFormIsEmpty()
    {
        var empty = new PurposeDraft("Surveys", null, " ", null, null, null, null, false, "12345", null, null, null, null);

        var errors = empty.Validate(PurposeCatalog.Default, Now);

        Assert.Equal(
            ["BodyEn", "BodyEs", "FrequencyEn", "FrequencyEs", "LabelEn", "LabelEs", "NameEn", "NameEs", "PhraseEn", "PhraseEs", "SendingNumber"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Purpose_IsWrittenAsItsKey_InJson()
    {
        Assert.Equal("\"Promotions\"", JsonSerializer.Serialize(Purpose.Promotions));
        Assert.Equal(Purpose.AccountAlerts, JsonSerializer.Deserialize<Purpose>("\"AccountAlerts\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Purpose>("\"not a key\""));
    }

    [Fact]
    public void DraftValidation_NamesThePurpose_WhenADeadlineIsSetOnOneThatNeverLapses()
    {
        var draft = new ConsentTextDraft(Purpose.AccountAlerts, "en", ConsentTextKind.Material, "Account alerts", "Texts about your account.", "Changed.", Now.AddDays(30));

        Assert.Equal("Account alerts consents never lapse. Leave the deadline empty.", draft.Validate(Now, PurposeCatalog.Default)["ReconfirmBy"]);
    }
}
