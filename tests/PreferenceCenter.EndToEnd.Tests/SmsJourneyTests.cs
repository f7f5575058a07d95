using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

[Collection(BrowserGroup.Name)]
public sealed class SmsJourneyTests(BrowserFixture fixture)
{
    private const string Password = "Corr3ct-Horse-Battery!";

    [Fact]
    public async Task ReplyingStopToThePromotionsNumber_UnticksOnlyPromotions_AndRepliesOnce()
    {
        var page = await fixture.NewPageAsync();
        var preferences = new PreferencesPage(page);
        await preferences.SignInWithPhoneAsync("07700 900401", "+447700900401");
        await PreferencesPage.SetAsync(preferences.AccountAlerts, ticked: true);
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Agreed" })).ToHaveCountAsync(2);
        var outbox = new DevSmsPage(page.Context);
        Assert.Equal(1, await outbox.CountSentAsync("+447700900401", "subscribed to promotional texts, up to 4 msgs/month."));

        await outbox.SimulateIncomingAsync("+447700900401", "+447700900002 (promotions number)", "Stop");

        await page.ReloadAsync();
        await preferences.WaitForVerifiedAsync();
        await Expect(preferences.Promotions).Not.ToBeCheckedAsync();
        await Expect(preferences.AccountAlerts).ToBeCheckedAsync();
        var smsRevocation = preferences.HistoryRows.Filter(new() { HasText = "Text message" });
        await Expect(smsRevocation).ToHaveCountAsync(1);
        await Expect(smsRevocation).ToContainTextAsync("Withdrawn");
        await Expect(smsRevocation).ToContainTextAsync("Promotions");
        Assert.Equal(1, await outbox.CountSentAsync("+447700900401", "unsubscribed from promotional texts"));
    }
}
