using Microsoft.Playwright;

namespace PreferenceCenter.EndToEnd.Tests.Pages;

/// <summary>/preferences, located by roles and labels only, as assistive technology sees it.</summary>
public sealed class PreferencesPage(IPage page)
{
    public ILocator PhoneNumber => page.GetByLabel("Phone number");

    public ILocator VerificationCode => page.GetByLabel("Verification code");

    public ILocator AccountAlerts => page.GetByRole(AriaRole.Checkbox, new() { Name = "Account alerts" });

    public ILocator Promotions => page.GetByRole(AriaRole.Checkbox, new() { Name = "Promotions" });

    public ILocator History => page.GetByRole(AriaRole.Table, new() { Name = "My consent history" });

    public ILocator Alert => page.GetByRole(AriaRole.Alert).Filter(new() { HasNotText = "Sorry, something went wrong" });

    public async Task OpenAsync()
    {
        await page.GotoAsync("preferences");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Text message preferences" }).WaitForAsync();
    }

    public async Task SendCodeToAsync(string typed)
    {
        await PhoneNumber.FillAsync(typed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();
        await VerificationCode.WaitForAsync();
    }

    public async Task EnterCodeAsync(string code)
    {
        await VerificationCode.FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
    }

    /// <summary>
    /// The way in: /preferences, the number, the code from /dev/sms. Signs in as the number's holder (a new customer the
    /// first time) and lands on their choices.
    /// </summary>
    public async Task SignInWithPhoneAsync(string typed, string e164)
    {
        await OpenAsync();
        await VerifyNumberAsync(typed, e164);
    }

    /// <summary>Sends a code, reads it from /dev/sms as the customer reads their phone, and enters it.</summary>
    public async Task VerifyNumberAsync(string typed, string e164)
    {
        await SendCodeToAsync(typed);
        await EnterCodeAsync(await new DevSmsPage(page.Context).LatestCodeForAsync(e164));
        await WaitForVerifiedAsync();
    }

    public Task WaitForVerifiedAsync() =>
        page.GetByRole(AriaRole.Button, new() { Name = "Change number" }).WaitForAsync();

    public Task<string> VerifiedNumberAsync() => page.GetByText("Verified number:").InnerTextAsync();

    public static Task SetAsync(ILocator box, bool ticked) => ticked ? box.CheckAsync() : box.UncheckAsync();

    public async Task StopAllTextsAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop all texts" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Stop all texts" }).ClickAsync();
    }

    public ILocator HistoryRows => History.GetByRole(AriaRole.Row);

    public ILocator LatestReceiptLink => page.GetByRole(AriaRole.Link, new() { Name = "View the receipt for this change" });
}
