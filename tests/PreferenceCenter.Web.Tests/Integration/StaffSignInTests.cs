using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>Password sign-in is for staff only, locks after repeated failures, and staff pages need a second factor (ADR 24).</summary>
public sealed class StaffSignInTests : IAsyncLifetime
{
    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Login_LocksTheAccountAfterWrongPasswords_UntilUsersUnlock()
    {
        var email = NewEmail("agent");
        await SignedInClients.CreateStaffAsync(_app, email, StaffRoles.Agent, withAuthenticator: true);
        using var client = SignedInClients.NewClient(_app);

        for (var attempt = 1; attempt <= 6; attempt++)
        {
            using var wrong = await SignedInClients.PostLoginAsync(client, email, "Wrong-Passw0rd!");

            // Staff:Lockout:MaxFailedAttempts is 5: the fifth failure locks, and the sixth meets the lock.
            if (attempt < 5)
            {
                Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            }
            else
            {
                Assert.Equal("/Account/Lockout", Local(wrong.Headers.Location));
            }
        }

        using (var locked = await SignedInClients.PostLoginAsync(client, email, SignedInClients.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
            Assert.Equal("/Account/Lockout", Local(locked.Headers.Location));
        }

        var (code, output, errors) = await WebExecutable.RunAsync(_app.DataSettings, TestContext.Current.CancellationToken, "users", "unlock", email);
        Assert.True(code == 0, errors);
        Assert.Contains($"Unlocked {email}", output, StringComparison.Ordinal);

        using var unlocked = await SignedInClients.PostLoginAsync(client, email, SignedInClients.Password);
        Assert.StartsWith("/Account/LoginWith2fa", Local(unlocked.Headers.Location), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_LocksTheAccount_AfterWrongAuthenticatorCodes()
    {
        var email = NewEmail("agent");
        await SignedInClients.CreateStaffAsync(_app, email, StaffRoles.Agent, withAuthenticator: true);
        using var client = SignedInClients.NewClient(_app);
        using var afterPassword = await SignedInClients.PostLoginAsync(client, email, SignedInClients.Password);

        HttpResponseMessage? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            last?.Dispose();
            last = await SignedInClients.PostAuthenticatorCodeAsync(client, afterPassword.Headers.Location!, "000000");
        }

        Assert.Equal("/Account/Lockout", Local(last!.Headers.Location));
        last.Dispose();
        Assert.True(await IsLockedOutAsync(email));
    }

    [Fact]
    public async Task StaffConsolePages_SendToEnrolment_UntilAnAuthenticatorIsSetUp()
    {
        var email = NewEmail("agent");
        await SignedInClients.CreateStaffAsync(_app, email, StaffRoles.Agent, withAuthenticator: false);
        using var client = SignedInClients.NewClient(_app);

        using (var signedIn = await SignedInClients.PostLoginAsync(client, email, SignedInClients.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.StartsWith("/Account/SecondFactor", Local(signedIn.Headers.Location), StringComparison.Ordinal);
        }

        foreach (var page in new[] { "/agent", "/agent/dashboard" })
        {
            using var refused = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/Account/SecondFactor?", Local(refused.Headers.Location), StringComparison.Ordinal);
        }

        using var enrolment = await client.GetAsync(new Uri("/Account/SecondFactor", UriKind.Relative));
        Assert.Contains("Set up an authenticator app", await enrolment.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The key is made when the page first shows; the code is what the person's app would show.
        using (var keyPage = await client.GetAsync(new Uri("/Account/Manage/EnableAuthenticator", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, keyPage.StatusCode);
        }

        string code;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            // Identity's authenticator provider cannot generate codes (it answers ""): compute what the app would show.
            code = Totp.Code((await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(email))!))!);
        }

        using (var enrolled = await SignedInClients.PostFormAsync(client, new Uri("/Account/Manage/EnableAuthenticator", UriKind.Relative), new() { ["Input.Code"] = code }))
        {
            var body = await enrolled.Content.ReadAsStringAsync();
            Assert.True(enrolled.StatusCode == HttpStatusCode.OK, body);
            Assert.True(body.Contains("Put these codes in a safe place", StringComparison.Ordinal), body);
        }

        using var console = await client.GetAsync(new Uri("/agent", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
    }

    [Fact]
    public async Task AdminPages_SendToEnrolment_WhenSignedInWithPasswordOnly()
    {
        var email = NewEmail("admin");
        await SignedInClients.CreateStaffAsync(_app, email, StaffRoles.Admin, withAuthenticator: false);
        using var client = SignedInClients.NewClient(_app);
        using var _ = await SignedInClients.PostLoginAsync(client, email, SignedInClients.Password);

        using var refused = await client.GetAsync(new Uri("/admin/access-log", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/Account/SecondFactor?", Local(refused.Headers.Location), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_RefusesACustomerAccount_WithTheSameAnswerAsAnUnknownEmail()
    {
        var email = NewEmail("customer");
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await users.CreateAsync(new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true }, SignedInClients.Password)).Succeeded);
        }

        using var client = SignedInClients.NewClient(_app);
        using var customer = await SignedInClients.PostLoginAsync(client, email, SignedInClients.Password);
        using var unknown = await SignedInClients.PostLoginAsync(client, NewEmail("nobody"), SignedInClients.Password);

        Assert.Equal(HttpStatusCode.OK, customer.StatusCode);
        var page = await customer.Content.ReadAsStringAsync();
        Assert.Contains("Invalid login attempt", page, StringComparison.Ordinal);
        Assert.Contains("sign in with your phone number", page, StringComparison.Ordinal);
        Assert.Contains("href=\"preferences\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(customer.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal) && !v.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(Scrub(page), Scrub(await unknown.Content.ReadAsStringAsync()));
        Assert.False(await IsLockedOutAsync(email));
    }

    [Theory]
    [InlineData("/Account/Register")]
    [InlineData("/Account/RegisterConfirmation")]
    [InlineData("/Account/ResendEmailConfirmation")]
    [InlineData("/Account/ForgotPassword")]
    [InlineData("/Account/ResetPassword")]
    [InlineData("/Account/Manage/Email")]
    public async Task CustomerSelfServiceAndEmailPages_AreGone(string page)
    {
        using var client = SignedInClients.NewClient(_app);
        using var response = await client.GetAsync(new Uri(page, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task LoginPage_HasNoTemplateDeveloperText()
    {
        using var client = SignedInClients.NewClient(_app);
        var page = await client.GetStringAsync(new Uri("/Account/Login", UriKind.Relative));

        Assert.DoesNotContain("external authentication services", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("real email sender", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Account/Register", page, StringComparison.Ordinal);
        Assert.DoesNotContain("ForgotPassword", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"Input.Email\">Email</label>", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"Input.Password\">Password</label>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("http://evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/agent")]
    public async Task Login_StaysOnSite_WhenTheReturnUrlPointsElsewhere(string returnUrl)
    {
        var email = NewEmail("agent");
        var key = await SignedInClients.CreateStaffAsync(_app, email, StaffRoles.Agent, withAuthenticator: true);
        using var client = SignedInClients.NewClient(_app);

        using var afterPassword = await SignedInClients.PostLoginAsync(client, email, SignedInClients.Password, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, afterPassword.StatusCode);
        AssertOnSite(afterPassword.Headers.Location!);

        using var afterCode = await SignedInClients.PostAuthenticatorCodeAsync(client, afterPassword.Headers.Location!, Totp.Code(key!));
        Assert.Equal(HttpStatusCode.Redirect, afterCode.StatusCode);
        AssertOnSite(afterCode.Headers.Location!);
        Assert.Equal("/agent", Local(afterCode.Headers.Location));
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    public async Task Login_StaysOnSite_WhenAnUnenrolledStaffMembersReturnUrlPointsElsewhere(string returnUrl)
    {
        var email = NewEmail("agent");
        await SignedInClients.CreateStaffAsync(_app, email, StaffRoles.Agent, withAuthenticator: false);
        using var client = SignedInClients.NewClient(_app);

        using var signedIn = await SignedInClients.PostLoginAsync(client, email, SignedInClients.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        AssertOnSite(signedIn.Headers.Location!);
        Assert.DoesNotContain("evil", signedIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("http://evil.example")]
    public async Task Logout_StaysOnSite_WhenTheReturnUrlPointsElsewhere(string returnUrl)
    {
        using var client = await SignedInClients.ForAsync(_app, StaffRoles.Agent);
        var page = await client.GetStringAsync(new Uri("/Account/Manage", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"(?<v>[^\"]+)\"").Groups["v"].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["ReturnUrl"] = returnUrl });

        using var response = await client.PostAsync(new Uri("/Account/Logout", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        AssertOnSite(response.Headers.Location!);
    }

    [Theory]
    [InlineData("/Account/PasskeyCreationOptions")]
    [InlineData("/Account/PasskeyRequestOptions")]
    public async Task PasskeyOptions_Answer400_WithoutAnAntiforgeryToken(string endpoint)
    {
        using var client = SignedInClients.NewClient(_app);
        using var response = await client.PostAsync(new Uri(endpoint, UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersResetPassword_SetsThePassword_EndsTheLockout_AndChangesTheSecurityStamp()
    {
        var email = NewEmail("agent");
        await SignedInClients.CreateStaffAsync(_app, email, StaffRoles.Agent, withAuthenticator: false);
        string stampBefore;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddHours(1));
            stampBefore = (await users.GetSecurityStampAsync(user))!;
        }

        var (code, output, errors) = await WebExecutable.RunAsync(_app.DataSettings, TestContext.Current.CancellationToken, "users", "reset-password", email, "Brand-New-Passw0rd!");

        Assert.True(code == 0, errors);
        Assert.Contains($"Password of {email} reset", output, StringComparison.Ordinal);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            Assert.True(await users.CheckPasswordAsync(user, "Brand-New-Passw0rd!"));
            Assert.False(await users.CheckPasswordAsync(user, SignedInClients.Password));
            Assert.False(await users.IsLockedOutAsync(user));
            Assert.NotEqual(stampBefore, await users.GetSecurityStampAsync(user));
        }
    }

    [Theory]
    [InlineData("Staff:Lockout:MaxFailedAttempts", "0")]
    [InlineData("Staff:Lockout:Minutes", "0")]
    public async Task Startup_Fails_WhenLockoutSettingsAreOutOfRange(string key, string value)
    {
        await using var app = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    private static void AssertOnSite(Uri location)
    {
        var text = location.OriginalString;
        Assert.False(location.IsAbsoluteUri && location.Host != "localhost", text);
        Assert.False(text.StartsWith("//", StringComparison.Ordinal) || text.StartsWith("/\\", StringComparison.Ordinal), text);
        Assert.DoesNotContain("evil", text, StringComparison.Ordinal);
    }

    /// <summary>The app's own redirects are absolute (http://localhost/…) or rooted; both as a rooted path.</summary>
    private static string Local(Uri? location)
    {
        Assert.NotNull(location);
        if (location.IsAbsoluteUri)
        {
            Assert.Equal("localhost", location.Host);
            return location.PathAndQuery;
        }

        return location.OriginalString;
    }

    private async Task<bool> IsLockedOutAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!);
    }

    private static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.test";

    // Antiforgery tokens and the typed email differ between two renders of the same answer.
    private static string Scrub(string page) =>
        System.Text.RegularExpressions.Regex.Replace(page, "value=\"[^\"]*\"|[A-Za-z0-9+/_-]{40,}={0,2}", "");
}
