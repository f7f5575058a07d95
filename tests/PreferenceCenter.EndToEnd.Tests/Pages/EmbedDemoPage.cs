using Microsoft.Playwright;

namespace PreferenceCenter.EndToEnd.Tests.Pages;

/// <summary>
/// The Development demo host page (a "shop" on http://127.0.0.1) and the preferences page it frames (on
/// http://localhost), both found by role and label.
/// </summary>
public sealed class EmbedDemoPage(IPage page, string hostBaseUrl)
{
    public IFrameLocator Frame => page.FrameLocator("iframe[title='Text message preferences']");

    public ILocator PhoneNumber => Frame.GetByLabel("Phone number");

    public ILocator VerificationCode => Frame.GetByLabel("Verification code");

    public ILocator Promotions => Frame.GetByRole(AriaRole.Checkbox, new() { Name = "Promotions" });

    /// <summary>History rows appear only from committed state: the proof a click was saved.</summary>
    public ILocator HistoryRows => Frame.GetByRole(AriaRole.Table, new() { Name = "My consent history" }).GetByRole(AriaRole.Row);

    public ILocator Events => page.GetByRole(AriaRole.List, new() { Name = "Events from the preferences page" });

    /// <summary>Opens the demo shop with a fresh link for the customer; waits for the frame's heading (in its language).</summary>
    public async Task OpenAsync(string shopCustomerId, string heading = "Text message preferences")
    {
        await page.GotoAsync($"{hostBaseUrl}dev/embed-demo?sub={Uri.EscapeDataString(shopCustomerId)}");
        await Frame.GetByRole(AriaRole.Heading, new() { Name = heading }).WaitForAsync();
    }

    public async Task VerifyNumberAsync(string typed, Func<Task<string>> readCode)
    {
        await PhoneNumber.FillAsync(typed);
        await Frame.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();
        await VerificationCode.WaitForAsync();
        await VerificationCode.FillAsync(await readCode());
        await Frame.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Frame.GetByRole(AriaRole.Button, new() { Name = "Change number" }).WaitForAsync();
    }
}
