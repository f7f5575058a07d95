using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Domain.Tests;

public sealed class PurposeCatalogTests
{
    [Fact]
    public void Catalog_DefinesEveryPurposeOnce_WhenReadAsAWhole()
    {
        Assert.Equal(Enum.GetValues<Purpose>().Order(), Purposes.Catalog.Select(d => d.Purpose).Order());
        Assert.Equal(Purposes.Catalog.Count, Purposes.Catalog.Select(d => d.Order).Distinct().Count());
    }

    [Fact]
    public void All_FollowsThePageOrder_WhenListed()
    {
        Assert.Equal([Purpose.AccountAlerts, Purpose.Promotions], Purposes.All);
    }

    [Fact]
    public void Lapses_HoldsOnlyForPromotions_WhenSeeded()
    {
        Assert.False(Purpose.AccountAlerts.Lapses());
        Assert.True(Purpose.Promotions.Lapses());
        Assert.Equal([Purpose.Promotions], Purposes.ThatLapse);
    }

    [Fact]
    public void Definition_GivesEachPurposeItsOwnTextKind_WhenTextsAreSent()
    {
        Assert.Equal(SmsKind.AccountAlert, Purpose.AccountAlerts.Definition().TextKind);
        Assert.Equal(SmsKind.Promotion, Purpose.Promotions.Definition().TextKind);
        Assert.Throws<ArgumentOutOfRangeException>(() => ((Purpose)99).Definition());
    }

    [Fact]
    public void DraftValidation_NamesThePurpose_WhenADeadlineIsSetOnOneThatNeverLapses()
    {
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var draft = new ConsentTextDraft(Purpose.AccountAlerts, "en", ConsentTextKind.Material, "Account alerts", "Texts about your account.", "Changed.", now.AddDays(30));

        Assert.Equal("Account alerts consents never lapse. Leave the deadline empty.", draft.Validate(now)["ReconfirmBy"]);
    }
}
