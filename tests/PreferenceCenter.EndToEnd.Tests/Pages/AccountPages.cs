using Microsoft.Playwright;
using PreferenceCenter.Testing;

namespace PreferenceCenter.EndToEnd.Tests.Pages;

/// <summary>The staff sign-in pages and the header's account actions (static SSR), driven by their labels and button names.</summary>
public sealed partial class AccountPages(IPage page)
{
    public async Task SignInAsync(string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

        // The site's header speaks the browser's language (the account pages themselves stay English).
        await page.GetByRole(AriaRole.Button, new() { NameRegex = SignOut() }).WaitForAsync();
    }

    /// <summary>
    /// A staff member's first sign-in: password, then the second-factor enrolment the app insists on (authenticator app,
    /// key read off the page, code computed as the app would). Returns the key for later sign-ins.
    /// </summary>
    public async Task<string> SignInStaffFirstTimeAsync(string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Second factor required" }).WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Set up an authenticator app" }).ClickAsync();
        var key = (await page.GetByTestId("authenticator-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        await page.GetByLabel("Verification code").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await page.GetByText("Put these codes in a safe place.").WaitForAsync();
        return key;
    }

    /// <summary>A staff member with an authenticator: password, then the app's current code.</summary>
    public async Task SignInStaffAsync(string email, string password, string authenticatorKey)
    {
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.GetByLabel("Authenticator code").FillAsync(Totp.Code(authenticatorKey));
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = SignOut() }).WaitForAsync();
    }

    /// <summary>From the preferences page's link to "Delete Personal Data": a customer has no password to confirm with.</summary>
    public async Task DeleteAccountAsync()
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete my account and data" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete data and close my account" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Staff sign in" }).WaitForAsync();
    }

    public async Task SignOutAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Staff sign in" }).WaitForAsync();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(Sign out|Cerrar sesión)$")]
    private static partial System.Text.RegularExpressions.Regex SignOut();
}
