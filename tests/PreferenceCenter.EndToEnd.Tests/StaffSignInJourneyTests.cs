using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.Testing;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

[Collection(BrowserGroup.Name)]
public sealed class StaffSignInJourneyTests(BrowserFixture fixture)
{
    private const string Password = "Corr3ct-Horse-Battery!";

    [Fact]
    public async Task Agent_EnrolsAnAuthenticatorAtFirstSignIn_ThenSignsInWithPasswordAndCode()
    {
        var email = $"agent-{Guid.NewGuid():N}@example.test";
        var cli = await WebExecutable.RunAsync(fixture.App.DataSettings, TestContext.Current.CancellationToken, "users", "create", "--email", email, "--password", Password, "--role", "Agent");
        Assert.True(cli.Code == 0, cli.Errors);
        var page = await fixture.NewPageAsync();
        var account = new AccountPages(page);

        // Before enrolling, the console sends the agent to set up a second factor.
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Second factor required" }).WaitForAsync();
        await page.GotoAsync("agent");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Second factor required" })).ToBeVisibleAsync();
        await account.SignOutAsync();

        var key = await account.SignInStaffFirstTimeAsync(email, Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue to the agent console" }).ClickAsync();
        await Expect(page.GetByLabel("Search customers")).ToBeVisibleAsync();

        await account.SignOutAsync();
        await account.SignInStaffAsync(email, Password, key);
        await page.GotoAsync("agent");
        await Expect(page.GetByLabel("Search customers")).ToBeVisibleAsync();
    }
}
