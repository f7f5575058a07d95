using Microsoft.Playwright;

namespace PreferenceCenter.EndToEnd.Tests.Pages;

/// <summary>
/// /preferences, located by roles and labels only, as assistive technology sees it: in English, or in the language whose
/// <see cref="Words"/> are given (a Spanish screen-reader user hears the Spanish names).
/// </summary>
public sealed class PreferencesPage(IPage page, PreferencesPage.Words? words = null)
{
    public static readonly Words English = new(
        "Text message preferences", "Phone number", "Send code", "Verification code", "Verify", "Change number",
        "Account alerts", "Promotions", "My consent history", "View the receipt for this change");

    public static readonly Words Spanish = new(
        "Preferencias de mensajes de texto", "Número de teléfono", "Enviar código", "Código de verificación", "Verificar", "Cambiar de número",
        "Avisos de la cuenta", "Promociones", "Mi historial de consentimientos", "Ver el justificante de este cambio");

    private readonly Words _words = words ?? English;

    public ILocator PhoneNumber => page.GetByLabel(_words.PhoneNumber);

    public ILocator VerificationCode => page.GetByLabel(_words.VerificationCode);

    public ILocator AccountAlerts => page.GetByRole(AriaRole.Checkbox, new() { Name = _words.AccountAlerts });

    public ILocator Promotions => page.GetByRole(AriaRole.Checkbox, new() { Name = _words.Promotions });

    public ILocator History => page.GetByRole(AriaRole.Table, new() { Name = _words.History });

    public ILocator Alert => page.GetByRole(AriaRole.Alert).Filter(new() { HasNotText = "Sorry, something went wrong" });

    public async Task OpenAsync()
    {
        await page.GotoAsync("preferences");
        await page.GetByRole(AriaRole.Heading, new() { Name = _words.Heading }).WaitForAsync();
    }

    public async Task SendCodeToAsync(string typed)
    {
        await PhoneNumber.FillAsync(typed);
        await page.GetByRole(AriaRole.Button, new() { Name = _words.SendCode }).ClickAsync();
        await VerificationCode.WaitForAsync();
    }

    public async Task EnterCodeAsync(string code)
    {
        await VerificationCode.FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = _words.Verify }).ClickAsync();
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
        page.GetByRole(AriaRole.Button, new() { Name = _words.ChangeNumber }).WaitForAsync();

    public Task<string> VerifiedNumberAsync() => page.GetByText("Verified number:").InnerTextAsync();

    public static Task SetAsync(ILocator box, bool ticked) => ticked ? box.CheckAsync() : box.UncheckAsync();

    public async Task StopAllTextsAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop all texts" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Stop all texts" }).ClickAsync();
    }

    public ILocator HistoryRows => History.GetByRole(AriaRole.Row);

    public ILocator LatestReceiptLink => page.GetByRole(AriaRole.Link, new() { Name = _words.ViewReceipt });

    /// <summary>The accessible names the page object finds things by, in one language.</summary>
    public sealed record Words(
        string Heading, string PhoneNumber, string SendCode, string VerificationCode, string Verify, string ChangeNumber,
        string AccountAlerts, string Promotions, string History, string ViewReceipt);
}
