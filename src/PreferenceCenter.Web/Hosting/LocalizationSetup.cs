using System.Security.Claims;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Antiforgery;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Localization;

namespace PreferenceCenter.Web.Hosting;

/// <summary>
/// English and Spanish (ADR 17): the language the customer chose (the standard culture cookie), else the browser's
/// Accept-Language (es-MX finds es), else <c>Localization:DefaultCulture</c>.
/// </summary>
internal static class LocalizationSetup
{
    public const string SwitchPath = "/culture/set";

    /// <summary>
    /// The language switch. POST (the header's form, antiforgery-checked) remembers the choice in the culture cookie and,
    /// for a signed-in customer, on their record (text-message replies follow it). GET (an old link or bookmark) only
    /// sets the cookie: a GET never changes what is stored.
    /// </summary>
    public static IEndpointRouteBuilder MapLanguageSwitch(this IEndpointRouteBuilder app)
    {
        app.MapGet(SwitchPath, (string? culture, string? redirectUri, HttpContext http, TimeProvider clock) => Switch(culture, redirectUri, http, clock, out _));
        // Checked by hand so a stale form gets a sentence instead of a bare 400.
        app.MapPost(SwitchPath, SwitchAndRememberAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>The page to come back to after the switch, as the form's <c>redirectUri</c> field.</summary>
    public static string ReturnUri(string baseRelativePath) => "/" + baseRelativePath.TrimStart('/');

    private static async Task<IResult> SwitchAndRememberAsync(HttpContext http, IAntiforgery antiforgery, ICustomerDirectory customers, TimeProvider clock)
    {
        IFormCollection form;
        try
        {
            if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The language form has expired", detail: "Reload the page and choose the language again.");
            }

            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or AntiforgeryValidationException)
        {
            // The antiforgery check reads the form first, and reports an unreadable one this way.
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unreadable form", detail: "Reload the page and choose the language again.");
        }

        var result = Switch(form["culture"].ToString(), form["redirectUri"].ToString(), http, clock, out var language);
        if (language is not null && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            // Text-message replies follow the choice too.
            await customers.SetPreferredLanguageForUserAsync(userId, language, http.RequestAborted);
        }

        return result;
    }

    private static IResult Switch(string? culture, string? redirectUri, HttpContext http, TimeProvider clock, out string? language)
    {
        language = Languages.Match(culture);
        if (language is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unsupported language", detail: $"Choose one of: {string.Join(", ", Languages.All)}.");
        }

        // Essential: it only remembers the choice the visitor just made. Lax: sent when they come back to us; a
        // framed page remembers the choice on the customer instead (ADR 17).
        http.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, Path = "/" });
        return TypedResults.Redirect(IsLocal(redirectUri) ? redirectUri! : "/");
    }

    // Only back into this app: never an open redirect. Printable ASCII only (the switch sends an escaped path):
    // browsers drop tabs and line breaks and may read other spaces or a backslash as "//", which would leave the app,
    // and a header cannot carry anything else.
    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || url[1] != '/')
        && url.All(c => c is > ' ' and < '\u007F' and not '\\') && !url.Contains("://", StringComparison.Ordinal);
}
