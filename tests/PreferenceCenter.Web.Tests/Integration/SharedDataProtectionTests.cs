using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Persistence;

using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>
/// Two instances of the app (two hosts, each with its own data folder) on one database: what one protects, the other
/// opens, because the Data Protection key ring lives in that database (ADR 19).
/// </summary>
public sealed partial class SharedDataProtectionTests
{
    private static readonly WebApplicationFactoryClientOptions Manual = new() { AllowAutoRedirect = false, HandleCookies = false };

    [Fact]
    public async Task SignIn_FormFromOneInstance_PostedToTheOther_GivesACookieTheFirstAccepts()
    {
        var secrets = SharedSecrets.Create();
        await using var a = new PreferenceCenterAppFactory("Production", secrets);
        await using var b = new PreferenceCenterAppFactory("Production", new Dictionary<string, string?>(secrets) { ["ConnectionStrings:PreferenceCenter"] = a.DataSettings["ConnectionStrings:PreferenceCenter"] });
        var link = await SignedInClients.ManageLinkPathAsync(a, "+447700900611");
        using var clientA = a.CreateClient(Manual);
        using var clientB = b.CreateClient(Manual);

        // The manage-link page's form (and its antiforgery cookie + token) comes from A; the browser's POST lands on B.
        using var form = await clientA.GetAsync(link);
        var antiforgeryCookie = CookiesOf(form);
        var fields = HiddenInputs().Matches(await form.Content.ReadAsStringAsync()).DistinctBy(m => m.Groups["name"].Value).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        using var post = new HttpRequestMessage(HttpMethod.Post, link) { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", antiforgeryCookie);
        using var signedIn = await clientB.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var authCookie = CookiesOf(signedIn);
        Assert.Contains(".AspNetCore.Identity.Application=", authCookie, StringComparison.Ordinal);

        // B's auth cookie opens the customer's own data on A.
        using var mine = new HttpRequestMessage(HttpMethod.Get, "/preferences/history.json");
        mine.Headers.Add("Cookie", authCookie);
        using var page = await clientA.SendAsync(mine);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("application/json", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ProtectedPayload_FromOneInstance_IsOpenedByTheOther_AndATamperedOneIsRefused()
    {
        var secrets = SharedSecrets.Create();
        await using var a = new PreferenceCenterAppFactory("Production", secrets);
        await using var b = new PreferenceCenterAppFactory("Production", new Dictionary<string, string?>(secrets) { ["ConnectionStrings:PreferenceCenter"] = a.DataSettings["ConnectionStrings:PreferenceCenter"] });
        const string Purpose = "PreferenceCenter.Tests.Shared";

        var sealedByA = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("whsec_shared-secret");
        var openedByB = b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(sealedByA);

        Assert.Equal("whsec_shared-secret", openedByB);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("another purpose").Unprotect(sealedByA));
        await using var db = await b.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
        Assert.False(Directory.Exists(Path.Combine(a.DataFolder, "keys", "data-protection")), "no key files are written any more");
    }

    private static string CookiesOf(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';', 2)[0]) : []);

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputs();
}
