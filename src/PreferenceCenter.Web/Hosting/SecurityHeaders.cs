using Microsoft.AspNetCore.Antiforgery;

namespace PreferenceCenter.Web.Hosting;

/// <summary>
/// Response headers every page gets (ADR 25). The Content-Security-Policy allows only this origin's own scripts
/// (Blazor Server needs no eval and no inline script), inline styles (MudBlazor sets style attributes), same-origin
/// connections (the SignalR WebSocket) and data: images; <c>frame-ancestors</c> is 'self' except on the embed page,
/// which lists its site's origins.
/// </summary>
internal static class SecurityHeaders
{
    private const string PolicyWithoutFraming =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'";

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    /// <summary>The page policy with <c>frame-ancestors</c> set to the given sources ('self' or a site's origins).</summary>
    public static string ContentSecurityPolicy(string frameAncestors) => $"{PolicyWithoutFraming}; frame-ancestors {frameAncestors}";

    public static WebApplicationBuilder AddPreferenceCenterSecurityHeaders(this WebApplicationBuilder builder)
    {
        // No "Server: Kestrel" advert.
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);

        // Secure whenever the request is https, as the browser saw it: UseForwardedHeaders runs first, so behind a
        // TLS-terminating proxy that sends X-Forwarded-Proto the request counts as https.
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }
}
