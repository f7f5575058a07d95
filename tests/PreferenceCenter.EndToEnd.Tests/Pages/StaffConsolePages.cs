using Microsoft.Playwright;

namespace PreferenceCenter.EndToEnd.Tests.Pages;

/// <summary>The staff console ("Agent console" on screen), by roles and labels.</summary>
public sealed class StaffConsolePages(IPage page)
{
    public ILocator Timeline => page.GetByRole(AriaRole.Region, new() { Name = "Consent timeline" });

    public async Task SearchAsync(string query)
    {
        await page.GotoAsync("agent");
        await page.GetByLabel("Search customers").FillAsync(query);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
    }

    public Task OpenCustomerAsync(string email) => page.GetByRole(AriaRole.Link, new() { Name = email }).ClickAsync();

    /// <summary>A customer who signed in with their phone has no email: their row is found by its current number.</summary>
    public Task OpenCustomerWithNumberAsync(string e164) =>
        page.GetByRole(AriaRole.Row).Filter(new() { HasText = e164 }).GetByRole(AriaRole.Link).First.ClickAsync();

    public async Task RecordRevocationAsync(string purpose, string channel, string reason)
    {
        await ChooseAsync("Purpose", purpose);
        await ChooseAsync("Channel", channel);
        await page.GetByLabel("Reason").FillAsync(reason);
        await page.GetByRole(AriaRole.Button, new() { Name = "Record revocation" }).ClickAsync();
        await page.GetByText("Recorded:").WaitForAsync();
    }

    public ILocator OptInRequests => page.GetByRole(AriaRole.Table, new() { Name = "Opt-in requests, newest first" });

    /// <summary>"Send an opt-in request": the text goes out; nothing is granted until the customer replies YES.</summary>
    public async Task SendOptInRequestAsync(string purpose, string language)
    {
        await ChooseAsync("Texts to ask for", purpose);
        await ChooseAsync("Language of the text", language);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send opt-in request" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sent." }).WaitForAsync();
    }

    private async Task ChooseAsync(string label, string option)
    {
        await page.GetByLabel(label, new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }
}
