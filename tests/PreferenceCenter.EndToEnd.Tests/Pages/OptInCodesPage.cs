using Microsoft.Playwright;

namespace PreferenceCenter.EndToEnd.Tests.Pages;

/// <summary>/admin/opt-in-codes, by roles and labels.</summary>
public sealed class OptInCodesPage(IPage page)
{
    public ILocator Navigation => page.GetByRole(AriaRole.Navigation, new() { Name = "Agent console" });

    public async Task OpenAsync()
    {
        await page.GotoAsync("admin/opt-in-codes");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Opt-in codes and posters", Level = 1 }).WaitForAsync();
    }

    public ILocator QrCode(string keyword, string number) => page.GetByRole(AriaRole.Img, new() { Name = $"QR code: text {keyword} to {number}", Exact = true });

    /// <summary>A poster preview, a region named like "Promotions poster in English".</summary>
    public ILocator Poster(string purpose, string language) => page.GetByRole(AriaRole.Region, new() { Name = $"{purpose} poster in {language}" });

    public ILocator SmsLink(string purpose) => page.GetByLabel($"sms: link for {purpose}");

    public ILocator CopyLink(string purpose) => page.GetByRole(AriaRole.Button, new() { Name = $"Copy link for {purpose}" });

    public ILocator Print(string purpose, string language) => page.GetByRole(AriaRole.Button, new() { Name = $"Print the {language} poster for {purpose}" });

    /// <summary>Whether an image has loaded (the browser fetched and decoded it).</summary>
    /// <summary>True once the image has loaded with pixels, false if it fails: waits for the load or error event, not for time.</summary>
    public static Task<bool> IsLoadedAsync(ILocator image) => image.EvaluateAsync<bool>(
        """
        img => img.complete && img.naturalWidth > 0 ? true
            : new Promise(done => {
                img.addEventListener('load', () => done(img.naturalWidth > 0), { once: true });
                img.addEventListener('error', () => done(false), { once: true });
                if (img.complete) done(img.naturalWidth > 0);
            })
        """);
}
