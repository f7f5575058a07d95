using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>The page policy must not break the app: Chromium reports every blocked script, style or connection on the console.</summary>
[Collection(BrowserGroup.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Pages_LoadAndRunTheirCircuit_WithoutAContentSecurityPolicyViolation()
    {
        var page = await fixture.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First.WaitForAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).First.WaitForAsync();

        // The framed page is interactive: a code is only sent over a live SignalR circuit (connect-src 'self').
        var embed = new EmbedDemoPage(page, fixture.App.BaseUrl);
        await embed.OpenAsync("csp-check");
        await embed.PhoneNumber.FillAsync("07700 900871");
        await embed.Frame.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();
        await embed.VerificationCode.WaitForAsync();

        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
