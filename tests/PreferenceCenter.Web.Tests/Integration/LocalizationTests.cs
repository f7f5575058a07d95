using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>The language of a page: the switch's cookie, else Accept-Language, else Localization:DefaultCulture.</summary>
public sealed partial class LocalizationTests : IAsyncLifetime
{
    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("es")]
    [InlineData("es-MX,es;q=0.9,en;q=0.5")]
    [InlineData("fr-FR, es;q=0.8")]
    public async Task StartPage_IsSpanish_WhenAcceptLanguageAsksForSpanish_WithoutACookie(string acceptLanguage)
    {
        var page = await GetAsync(_app.CreateClient(), "/", acceptLanguage);

        Assert.Contains("<html lang=\"es\">", page, StringComparison.Ordinal);
        Assert.Contains("Tus mensajes, tu decisi", page, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Idioma\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("de, zh;q=0.5")]
    [InlineData("")]
    public async Task StartPage_FallsBackToEnglish_WhenNoSupportedLanguageIsAsked(string acceptLanguage)
    {
        var page = await GetAsync(_app.CreateClient(), "/", acceptLanguage);

        Assert.Contains("<html lang=\"en\">", page, StringComparison.Ordinal);
        Assert.Contains("Your texts, your choice", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartPage_UsesTheConfiguredDefault_WhenNoSupportedLanguageIsAsked()
    {
        await using var spanishByDefault = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?> { ["Localization:DefaultCulture"] = "es" });

        var unsupported = await GetAsync(spanishByDefault.CreateClient(), "/", "fr-FR");
        var english = await GetAsync(spanishByDefault.CreateClient(), "/", "en-GB");

        Assert.Contains("<html lang=\"es\">", unsupported, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_Fails_WhenTheDefaultCultureIsNotSupported()
    {
        await using var french = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?> { ["Localization:DefaultCulture"] = "fr" });

        var error = Assert.Throws<OptionsValidationException>(() => french.CreateClient());
        Assert.Contains("Localization:DefaultCulture must be one of: en, es", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_SetsTheCultureCookie_AndTheNextPageIsSpanish_EvenWhenTheBrowserAsksForEnglish()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        using var response = await client.GetAsync(new Uri("/culture/set?culture=es&redirectUri=%2Fnot-found", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/not-found", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(".AspNetCore.Culture=c%3Des%7Cuic%3Des;", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var next = await GetAsync(client, "/not-found", "en-GB");
        Assert.Contains("<html lang=\"es\">", next, StringComparison.Ordinal);
        Assert.Contains("gina no encontrada", next, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example/path")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task LanguageSwitch_RedirectsOnlyWithinTheApp(string redirectUri)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri($"/culture/set?culture=en&redirectUri={Uri.EscapeDataString(redirectUri)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task LanguageSwitch_RefusesAnUnsupportedLanguage_AndSetsNoCookie()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/culture/set?culture=fr&redirectUri=%2F", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task LanguageSwitch_RemembersTheChoiceOnTheSignedInCustomer_ForTextMessages_WhenTheHeaderFormIsPosted()
    {
        using var client = await SignedInClients.ForAsync(_app, role: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/preferences/history.json", UriKind.Relative))).StatusCode);
        var token = AntiforgeryToken().Match(await client.GetStringAsync(new Uri("/", UriKind.Relative))).Groups["value"].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["culture"] = "es", ["redirectUri"] = "/preferences" });

        using var response = await client.PostAsync(new Uri("/culture/set", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/preferences", response.Headers.Location?.OriginalString);
        Assert.StartsWith(".AspNetCore.Culture=c%3Des%7Cuic%3Des;", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Equal("es", await PreferredLanguageAsync());
    }

    [Fact]
    public async Task LanguageSwitch_SetsOnlyTheCookie_AndNeverTheStoredLanguage_WhenCalledWithGet()
    {
        using var client = await SignedInClients.ForAsync(_app, role: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/preferences/history.json", UriKind.Relative))).StatusCode);

        using var response = await client.GetAsync(new Uri("/culture/set?culture=es&redirectUri=%2Fpreferences", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(".AspNetCore.Culture=c%3Des%7Cuic%3Des;", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Null(await PreferredLanguageAsync());
    }

    [Fact]
    public async Task LanguageSwitch_Answers400AndStoresNothing_WhenPostedWithoutAnAntiforgeryToken()
    {
        using var client = await SignedInClients.ForAsync(_app, role: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/preferences/history.json", UriKind.Relative))).StatusCode);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "es", ["redirectUri"] = "/preferences" });

        using var response = await client.PostAsync(new Uri("/culture/set", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Null(await PreferredLanguageAsync());
    }

    private async Task<string?> PreferredLanguageAsync()
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        return Assert.Single(await db.Customers.Where(c => c.UserId != null).Select(c => c.PreferredLanguage).ToListAsync());
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryToken();

    private static async Task<string> GetAsync(HttpClient client, string path, string acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (acceptLanguage.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
