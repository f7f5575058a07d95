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

}
