using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.SignIn;
using PreferenceCenter.Testing;
using PreferenceCenter.Web.Features.Staff;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>HTTP clients signed in through the real login form (antiforgery token and all), as a browser would be.</summary>
internal static partial class SignedInClients
{
    public const string Password = "Test-Passw0rd!";

    /// <summary>Staff (a role) sign in with their password and a code from their authenticator app (enrolled in the arrange step); a customer (no role) with a manage link for a fresh number.</summary>
    public static async Task<HttpClient> ForAsync(PreferenceCenterAppFactory app, string? role)
    {
        if (role is not null)
        {
            var email = $"{role}-{Guid.NewGuid():N}@example.test".ToLowerInvariant();
            var key = await CreateStaffAsync(app, email, role, withAuthenticator: true);
            var staff = NewClient(app);
            using var afterPassword = await PostLoginAsync(staff, email, Password);
            Assert.Equal(HttpStatusCode.Redirect, afterPassword.StatusCode);
            using var afterCode = await PostAuthenticatorCodeAsync(staff, afterPassword.Headers.Location!, Totp.Code(key!));
            Assert.Equal(HttpStatusCode.Redirect, afterCode.StatusCode);
            return staff;
        }

        return (await ForCustomerAsync(app, NextNumber())).Client;
    }

    /// <summary>
    /// A customer signs in the way they do from a text: a manage link for their number, opened and confirmed with the
    /// page's button (the same form a browser posts). Their account is created on first sign-in.
    /// </summary>
    public static async Task<(HttpClient Client, Guid CustomerId)> ForCustomerAsync(PreferenceCenterAppFactory app, string e164)
    {
        var path = await ManageLinkPathAsync(app, e164);
        var client = NewClient(app);
        using var response = await PostFormAsync(client, path, []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/preferences", response.Headers.Location?.AbsolutePath);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        var customerId = await db.CustomerPhones.Where(p => p.PhoneE164 == e164 && p.ReplacedAt == null).Select(p => p.CustomerId).SingleAsync();
        return (client, customerId);
    }

    /// <summary>The path of a fresh manage link for a number, as a text would carry it.</summary>
    public static async Task<Uri> ManageLinkPathAsync(PreferenceCenterAppFactory app, string e164)
    {
        var link = await app.Services.GetRequiredService<SignInLinks>().CreateTextLinkAsync(e164);
        Assert.NotNull(link);
        return new Uri(new Uri(link).AbsolutePath, UriKind.Relative);
    }

    /// <summary>A number no other customer in this test process has (Ofcom's drama range, 07700 900000-900999).</summary>
    public static string NextNumber() => $"+447700900{Interlocked.Increment(ref _nextNumber) % 1000:000}";

    private static int _nextNumber = 899;

    public static HttpClient NewClient(PreferenceCenterAppFactory app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Creates a staff account as the CLI does; with an authenticator, returns its Base32 key (2FA on).</summary>
    public static async Task<string?> CreateStaffAsync(PreferenceCenterAppFactory app, string email, string role, bool withAuthenticator)
    {
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<StaffAccounts>().CreateAsync(email, Password, role));
        if (!withAuthenticator)
        {
            return null;
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return await users.GetAuthenticatorKeyAsync(user);
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var page = returnUrl is null ? "/Account/Login" : $"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        return await PostFormAsync(client, new Uri(page, UriKind.Relative), new() { ["Input.Email"] = email, ["Input.Password"] = password });
    }

    /// <summary>Fills the LoginWith2fa page that the password step redirected to.</summary>
    public static Task<HttpResponseMessage> PostAuthenticatorCodeAsync(HttpClient client, Uri loginWith2fa, string code)
    {
        var page = loginWith2fa.IsAbsoluteUri ? new Uri(loginWith2fa.PathAndQuery, UriKind.Relative) : loginWith2fa;
        Assert.StartsWith("/Account/LoginWith2fa", page.OriginalString, StringComparison.Ordinal);
        return PostFormAsync(client, page, new() { ["Input.TwoFactorCode"] = code });
    }

    /// <summary>GETs a static page, then posts its form back with the hidden fields (antiforgery token, handler) and the given values.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, Uri page, Dictionary<string, string> values)
    {
        var form = await client.GetStringAsync(page);
        // The header's sign-out form has its own token too; either is valid.
        var fields = new Dictionary<string, string>();
        foreach (Match m in HiddenInputs().Matches(form))
        {
            fields[m.Groups["name"].Value] = WebUtility.HtmlDecode(m.Groups["value"].Value);
        }

        foreach (var (name, value) in values)
        {
            fields[name] = value;
        }

        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(page, content);
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputs();
}
