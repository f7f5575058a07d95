using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using static Microsoft.Playwright.Assertions;
using static PreferenceCenter.EndToEnd.Tests.Infrastructure.Axe;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>An SMS programme manager makes a poster with a QR code (#21 item 3).</summary>
[Collection(BrowserGroup.Name)]
public sealed class OptInCodeJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task OptInCodesPage_ShowsTheQrCodeAndPosterAndPassesAxe_WhenAnAdminOpensItOnA360PixelScreen()
    {
        var page = await fixture.NewStaffPageAsync("Admin", "opt-in-codes");
        await page.SetViewportSizeAsync(360, 740);
        var codes = new OptInCodesPage(page);

        // From the staff console's navigation, as an admin finds it.
        await page.GotoAsync("admin/purposes");
        await codes.Navigation.GetByRole(AriaRole.Link, new() { Name = "Opt-in codes" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Opt-in codes and posters", Level = 1 }).WaitForAsync();

        var qr = codes.QrCode("JOIN", "+44 7700 900002");
        await Expect(qr).ToBeVisibleAsync();
        Assert.True(await OptInCodesPage.IsLoadedAsync(qr), "the QR image loads for an admin under the page's CSP");
        await Expect(codes.SmsLink("Promotions")).ToHaveValueAsync("sms:+447700900002?body=JOIN");
        var english = codes.Poster("Promotions", "English");
        await Expect(english).ToContainTextAsync("Text JOIN to 07700 900002");
        await Expect(english).ToContainTextAsync("PreferenceCenter Demo: Text JOIN to 07700 900002 to get promotional texts.");
        await Expect(english).ToContainTextAsync("Up to 4 msgs/month. Msg & data rates may apply. Reply HELP for help, STOP to cancel.");
        await Expect(english).ToContainTextAsync("Terms & privacy: ");
        await Expect(codes.Poster("Promotions", "Spanish")).ToContainTextAsync("Pueden aplicarse tarifas de mensajes y datos. Responde HELP para ayuda, STOP para cancelar.");
        Assert.True(await OptInCodesPage.IsLoadedAsync(english.GetByRole(AriaRole.Img)), "the poster's QR image loads");

        await SmallScreenTests.AssertFitsAsync(page, "opt-in codes");
        await AssertAccessibleAsync(page, "opt-in codes at 360 px");
    }

    [Fact]
    public async Task OptInCodesPage_CopiesTheLinkAndPrintsOnlyTheChosenPoster_ByKeyboard()
    {
        var page = await fixture.NewStaffPageAsync("Admin", "opt-in-print");
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var codes = new OptInCodesPage(page);
        await codes.OpenAsync();

        await codes.CopyLink("Promotions").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Copied the sms: link for Promotions." })).ToBeAttachedAsync();
        Assert.Equal("sms:+447700900002?body=JOIN", await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // The browser's print dialog is recorded rather than opened; then the page is laid out as it prints.
        await page.EvaluateAsync("() => { window.printed = 0; window.print = () => { window.printed++; }; }");
        await codes.Print("Promotions", "Spanish").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => window.printed === 1");
        await page.EmulateMediaAsync(new() { Media = Media.Print });

        await Expect(page.Locator("#opt-in-poster-Promotions-es")).ToBeVisibleAsync();
        await Expect(page.Locator("#opt-in-poster-Promotions-es")).ToContainTextAsync("Envía JOIN al 07700 900002");
        await Expect(page.Locator("#opt-in-poster-Promotions-en")).ToBeHiddenAsync();
        await Expect(codes.Navigation).ToBeHiddenAsync();
        await Expect(codes.Print("Promotions", "Spanish")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeHiddenAsync();
    }
}
