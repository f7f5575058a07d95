using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

[Collection(BrowserGroup.Name)]
public sealed class StaffSignInJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Agent_EnrolsAnAuthenticatorAtFirstSignIn_ThenSignsInWithPasswordAndCode()
    {
        var email = $"agent-{Guid.NewGuid():N}@example.test";
        await fixture.CreateStaffAsync(email, "Agent");
        var page = await fixture.NewPageAsync();
        var account = new AccountPages(page);

        // Before enrolling, the console sends the agent to set up a second factor.
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(BrowserFixture.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Second factor required" }).WaitForAsync();
        await page.GotoAsync("agent");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Second factor required" })).ToBeVisibleAsync();
        await account.SignOutAsync();

        var key = await account.SignInStaffFirstTimeAsync(email, BrowserFixture.StaffPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue to the agent console" }).ClickAsync();
        await Expect(page.GetByLabel("Search customers")).ToBeVisibleAsync();

        await account.SignOutAsync();
        await account.SignInStaffAsync(email, BrowserFixture.StaffPassword, key);
        await page.GotoAsync("agent");
        await Expect(page.GetByLabel("Search customers")).ToBeVisibleAsync();
    }
}
