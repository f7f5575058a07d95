using PreferenceCenter.Infrastructure.Embedding;
using PreferenceCenter.Web.Hosting;

namespace PreferenceCenter.Web.Features.Embedding;

/// <summary>Framing policy and status codes of the embed page.</summary>
internal static class EmbedHeaders
{
    /// <summary>
    /// frame-ancestors lists exactly the site's origins; an unknown site gets
    /// 'self' like every other page. Set before the pipeline's default so that default does not apply.
    /// </summary>
    public static void AllowFramingBy(HttpResponse response, IReadOnlyList<string> origins) =>
        response.Headers.ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicy(origins.Count == 0 ? "'self'" : string.Join(' ', origins));

    // An unknown site is 403, not 404: .NET 10's SSR treats a 404 set by a page as "render the not-found page".
    public static int StatusFor(EmbedOpenOutcome outcome) => outcome switch
    {
        EmbedOpenOutcome.Malformed => StatusCodes.Status400BadRequest,
        EmbedOpenOutcome.Expired => StatusCodes.Status410Gone,
        _ => StatusCodes.Status403Forbidden,
    };

    /// <summary>The origin of the page that framed us, from the Referer the browser sends (origin-only cross-site).</summary>
    public static string? RefererOrigin(HttpRequest request) =>
        Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer) && referer.Scheme is "http" or "https"
            ? referer.GetLeftPart(UriPartial.Authority)
            : null;
}
