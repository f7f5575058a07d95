using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Embedding;
using PreferenceCenter.Infrastructure.Embedding;

namespace PreferenceCenter.Web.Features.Embedding;

/// <summary>
/// Development only: a page playing a customer's own shop site, which frames the preferences page for one of its
/// shoppers exactly as an integrator would (a signed link made on the server, then embed.js).
/// </summary>
internal static class EmbedDemoEndpoints
{
    public const string DemoPath = "/dev/embed-demo";
    private const string DemoSiteId = "demo";

    public static WebApplication MapEmbedDemo(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.MapGet(DemoPath, Demo).AllowAnonymous();
        }

        return app;
    }

    private static IResult Demo(HttpContext http, IOptions<EmbedOptions> options, TimeProvider clock, string? sub)
    {
        // This page stands in for a customer's own shop (inline script, embed.js from the preferences origin), so it
        // does not get the app's page policy; only framing stays limited.
        http.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'self'";
        if (!options.Value.Sites.TryGetValue(DemoSiteId, out var site) || string.IsNullOrWhiteSpace(site.Secret) || string.IsNullOrWhiteSpace(site.AllowedOrigins))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "The demo embed site is not configured",
                detail: "Add Embed:Sites:demo:Secret and Embed:Sites:demo:AllowedOrigins (e.g. http://127.0.0.1:5256) to the repository's appsettings.Development.json, then restart.");
        }

        sub ??= "alice";
        var port = http.Request.Host.Port;
        var scheme = http.Request.Scheme;

        // The shop and the preferences page must be different sites, as they are in real life; localhost and
        // 127.0.0.1 are the two names every machine has, so the shop answers on one and frames the other.
        if (string.Equals(http.Request.Host.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            var elsewhere = new UriBuilder(scheme, "127.0.0.1", port ?? -1, DemoPath) { Query = "sub=" + Uri.EscapeDataString(sub) }.Uri.AbsoluteUri;
            return Page(sub, $"""
                <p class="notice">This page plays a different site from the preferences page, so it must not be opened on
                localhost. <a href="{Html(elsewhere)}">Open it on 127.0.0.1 instead</a>.</p>
                """, StatusCodes.Status200OK);
        }

        if (!EmbedRules.IsValidSubject(sub))
        {
            return Page(sub, """<p role="alert">A shop customer id is 1 to 200 visible characters, without spaces at either end.</p>""", StatusCodes.Status400BadRequest);
        }

        var frameOrigin = new UriBuilder(scheme, "localhost", port ?? -1).Uri.GetLeftPart(UriPartial.Authority);
        var exp = clock.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds();
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var sig = EmbedLink.Sign(site.Secret, DemoSiteId, sub, exp, nonce);
        var url = string.Create(CultureInfo.InvariantCulture, $"{frameOrigin}/embed/{DemoSiteId}?sub={Uri.EscapeDataString(sub)}&exp={exp}&nonce={nonce}&sig={sig}");

        // A mismatch here is the commonest integration mistake: the frame would be refused with no explanation.
        var thisOrigin = $"{scheme}://{http.Request.Host}";
        EmbedRules.TryNormaliseOrigin(thisOrigin, out var mine);
        var registered = site.AllowedOrigins.Split([' ', ',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(o => EmbedRules.TryNormaliseOrigin(o, out var normal) && normal == mine);
        var warning = registered ? string.Empty : $"""
            <p class="notice">This page's origin, {Html(thisOrigin)}, is not in <code>Embed:Sites:demo:AllowedOrigins</code>,
            so the preferences page will refuse to be framed here. Add it and restart.</p>
            """;

        return Page(sub, $$"""
            {{warning}}
            <div id="preferences" class="frame"></div>
            <h2>Events</h2>
            <ul id="events" aria-label="Events from the preferences page"></ul>
            <script src="{{Html(frameOrigin)}}/embed.js"></script>
            <script>
              const events = document.getElementById("events");
              const log = (text) => {
                const item = document.createElement("li");
                item.textContent = text;
                events.append(item);
              };
              PreferenceCenter.embed({
                container: "#preferences",
                url: {{JsonSerializer.Serialize(url)}},
                onReady: () => log("ready"),
                onResize: (height) => log("resize: " + height + "px"),
                onConsentChanged: (change) => log("consent-changed: " + change.purpose + (change.granted ? " granted" : " withdrawn")),
                onError: (error) => log("error: " + error.code + (error.message ? " (" + error.message + ")" : "")),
              });
            </script>
            """, StatusCodes.Status200OK);
    }

    private static ContentHttpResult Page(string sub, string body, int statusCode) => TypedResults.Content($$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Demo Shop: embedded text preferences</title>
          <style>
            body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #1f2933; }
            header { border-bottom: 4px solid #00695c; margin-bottom: 1rem; }
            .frame { border: 1px dashed #7b8794; border-radius: 4px; }
            [role=alert], .notice { background: #fff4e5; border-left: 4px solid #b54708; padding: 0.5rem 1rem; }
            label { font-weight: 600; }
          </style>
        </head>
        <body>
          <header><h1>Demo Shop</h1></header>
          <main>
            <p>This page plays the role of a business's own shop site, which embeds the preferences page for one of its
            signed-in shoppers. Its server makes a signed link for that shopper and the page frames it with embed.js
            (see docs/embedding.md).</p>
            <form method="get" action="{{DemoPath}}">
              <label for="sub">Shop customer id</label>
              <input id="sub" name="sub" type="text" value="{{Html(sub)}}" maxlength="200" required>
              <button type="submit">Open preferences</button>
            </form>
            {{body}}
          </main>
        </body>
        </html>
        """, "text/html", System.Text.Encoding.UTF8, statusCode);

    private static string Html(string value) => WebUtility.HtmlEncode(value);
}
