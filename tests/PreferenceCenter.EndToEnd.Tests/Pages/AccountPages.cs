using Microsoft.Playwright;

namespace PreferenceCenter.EndToEnd.Tests.Pages;

/// <summary>The template's Identity pages (static SSR), driven by their labels and button names.</summary>
public sealed partial class AccountPages(IPage page)
{
    public async Task RegisterAndConfirmAsync(string email, string password)
    {
        await page.GotoAsync("Account/Register");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Confirm Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        // Development has no email sender: the template shows the confirmation link on the page instead.
        await page.GetByRole(AriaRole.Link, new() { Name = "Click here to confirm your account" }).ClickAsync();
        await page.GetByText("Thank you for confirming your email.").WaitForAsync();
    }

    public async Task SignInAsync(string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

        // The site's header speaks the browser's language (the account pages themselves stay English).
        await page.GetByRole(AriaRole.Button, new() { NameRegex = SignOut() }).WaitForAsync();
    }

    /// <summary>From the preferences page's link to the template's "Delete Personal Data" page, confirmed by password.</summary>
    public async Task DeleteAccountAsync(string password)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete my account and data" }).ClickAsync();
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete data and close my account" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First.WaitForAsync();
    }

    public async Task SignOutAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First.WaitForAsync();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(Sign out|Cerrar sesión)$")]
    private static partial System.Text.RegularExpressions.Regex SignOut();
}
