using Microsoft.Playwright;

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
