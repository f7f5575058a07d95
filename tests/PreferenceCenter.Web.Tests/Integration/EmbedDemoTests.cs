using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Embedding;
using PreferenceCenter.Infrastructure.Embedding;

namespace PreferenceCenter.Web.Tests.Integration;

public sealed partial class EmbedDemoTests
{
    // The demo page is opened on 127.0.0.1 so that the frame (on localhost) is another site, as in real life.
    private static readonly Uri ShopSite = new("http://127.0.0.1:5256");

    [Fact]
    public async Task DemoPage_EmbedsAFreshValidLinkForTheDemoSite_WhenOpenedOn127001InDevelopment()
    {
        await using var app = new PreferenceCenterAppFactory("Development");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ShopSite });
        using var response = await client.GetAsync(new Uri("/dev/embed-demo", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<ul id=\"events\" aria-label=\"Events from the preferences page\">", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"http://localhost:5256/embed.js\"></script>", html, StringComparison.Ordinal);
        Assert.Equal("frame-ancestors 'self'", response.Headers.GetValues("Content-Security-Policy").Single());

        var link = new Uri(Regex.Unescape(EmbedUrl().Match(html).Groups["url"].Value));
        Assert.Equal("http://localhost:5256/embed/demo", link.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(link.Query);
        Assert.Equal(["sub", "exp", "nonce", "sig"], query.Keys);
        Assert.Equal("alice", query["sub"].ToString());

        var secret = app.Services.GetRequiredService<IOptions<EmbedOptions>>().Value.Sites["demo"].Secret!;
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var check = EmbedLink.Check(secret, "demo", query["sub"], query["exp"], query["nonce"], query["sig"], now, TimeSpan.FromMinutes(15));
        Assert.Equal(EmbedLinkCheck.Valid, check);
    }

    [Fact]
    public async Task DemoPage_EncodesTheShopCustomerId_WhenItContainsMarkup()
    {
        await using var app = new PreferenceCenterAppFactory("Development");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ShopSite });
        var html = await client.GetStringAsync(new Uri("/dev/embed-demo?sub=" + Uri.EscapeDataString("<b>\"bob\"</b>"), UriKind.Relative));

        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;b&gt;&quot;bob&quot;&lt;/b&gt;\"", html, StringComparison.Ordinal);
        Assert.Contains("sub=%3Cb%3E%22bob%22%3C%2Fb%3E", Regex.Unescape(EmbedUrl().Match(html).Groups["url"].Value), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoPage_PointsTo127001AndEmbedsNothing_WhenOpenedOnLocalhost()
    {
        await using var app = new PreferenceCenterAppFactory("Development");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost:5256") });
        var html = await client.GetStringAsync(new Uri("/dev/embed-demo", UriKind.Relative));

        Assert.Contains("<a href=\"http://127.0.0.1:5256/dev/embed-demo?sub=alice\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/embed/demo?", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoPage_IsNotFound_InProduction()
    {
        await using var app = new PreferenceCenterAppFactory("Production");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ShopSite, AllowAutoRedirect = false });
        using var response = await client.GetAsync(new Uri("/dev/embed-demo", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("/embed/demo?", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoPage_ExplainsTheMissingSettings_WhenTheDemoSiteIsNotConfigured()
    {
        await using var configured = new PreferenceCenterAppFactory("Development");
        await using var app = configured.WithWebHostBuilder(builder => builder.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(new Dictionary<string, string?> { ["Embed:Sites:demo:Secret"] = string.Empty })));
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ShopSite });
        using var response = await client.GetAsync(new Uri("/dev/embed-demo", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Embed:Sites:demo:Secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task EmbedScript_IsServedAsJavaScript_FromTheSiteRoot(string environment)
    {
        await using var app = new PreferenceCenterAppFactory(environment);
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("/embed.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Content.Headers.ContentType?.MediaType, (string[])["text/javascript", "application/javascript"]);
        Assert.Contains("window.PreferenceCenter.embed = embed;", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // The link as the page's script receives it: a JSON string literal (HTML-sensitive characters \u-escaped).
    [GeneratedRegex("url: \"(?<url>http://localhost:5256/embed/demo\\?[^\"]+)\"")]
    private static partial Regex EmbedUrl();
}
