using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Web.Features.Staff;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>HTTP clients signed in through the real login form (antiforgery token and all), as a browser would be.</summary>
internal static partial class SignedInClients
{
    public const string Password = "Test-Passw0rd!";

    public static async Task<HttpClient> ForAsync(PreferenceCenterAppFactory app, string? role)
    {
        var email = $"{role ?? "customer"}-{Guid.NewGuid():N}@example.test".ToLowerInvariant();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            if (role is null)
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
                var created = await users.CreateAsync(new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true }, Password);
                Assert.True(created.Succeeded);
            }
            else
            {
                Assert.Empty(await scope.ServiceProvider.GetRequiredService<StaffAccounts>().CreateAsync(email, Password, role));
            }
        }

        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await client.GetStringAsync(new Uri("/Account/Login", UriKind.Relative));
        var fields = HiddenInputs().Matches(form).DistinctBy(m => m.Groups["name"].Value).ToDictionary(m => m.Groups["name"].Value, m => System.Net.WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Email"] = email;
        fields["Input.Password"] = Password;
        using var content = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(new Uri("/Account/Login", UriKind.Relative), content);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputs();
}
