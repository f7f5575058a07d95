using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Localization;
using PreferenceCenter.Infrastructure.Localization;

namespace PreferenceCenter.Web.Hosting;

/// <summary>
/// English and Spanish (ADR 17): the language the customer chose (the standard culture cookie), else the browser's
/// Accept-Language (es-MX finds es), else <c>Localization:DefaultCulture</c>.
/// </summary>
internal static class LocalizationSetup
{
    public const string SwitchPath = "/culture/set";

    public static WebApplicationBuilder AddPreferenceCenterLocalization(this WebApplicationBuilder builder)
    {
        // Resource files sit beside the component or class that uses them (Features/Preferences/PreferencesStrings.resx).
        builder.Services.AddLocalization();
        builder.Services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<LanguageOptions>>((o, languages) =>
        {
            var cultures = Languages.All.Select(CultureInfo.GetCultureInfo).ToList();
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.DefaultRequestCulture = new RequestCulture(languages.Value.DefaultLanguage);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;

            // No query-string provider: a shared link must not switch someone's language for them.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return builder;
    }

    /// <summary>The links of the language switch: remember the choice in the culture cookie, then go back.</summary>
    public static IEndpointRouteBuilder MapLanguageSwitch(this IEndpointRouteBuilder app)
    {
        app.MapGet(SwitchPath, SwitchAsync);
        return app;
    }

    /// <summary>The switch link for <paramref name="language"/>, coming back to <paramref name="baseRelativePath"/>.</summary>
    public static string SwitchLink(string language, string baseRelativePath) =>
        $"{SwitchPath.TrimStart('/')}?culture={Uri.EscapeDataString(language)}&redirectUri={Uri.EscapeDataString("/" + baseRelativePath.TrimStart('/'))}";

    private static async Task<IResult> SwitchAsync(string? culture, string? redirectUri, HttpContext http, ICustomerDirectory customers, TimeProvider clock)
    {
        if (Languages.Match(culture) is not { } language)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unsupported language", detail: $"Choose one of: {string.Join(", ", Languages.All)}.");
        }

        // Essential: it only remembers the choice the visitor just made. Lax: sent when they come back to us; a
        // framed page remembers the choice on the customer instead (ADR 17).
        http.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, Path = "/" });
        if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            // Text-message replies follow the choice too.
            await customers.SetPreferredLanguageForUserAsync(userId, language, http.RequestAborted);
        }

        return TypedResults.LocalRedirect(IsLocal(redirectUri) ? redirectUri! : "/");
    }

    // Only back into this app: never an open redirect.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains("://", StringComparison.Ordinal);
}
