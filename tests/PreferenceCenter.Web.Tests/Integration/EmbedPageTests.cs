using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Embedding;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>The framed page's link checks, status codes and framing policy, against the real pipeline.</summary>
public sealed class EmbedPageTests : IAsyncLifetime
{
    private const string Secret = "development-only-demo-embed-secret-not-for-production";
    private const string DemoOrigin = "http://127.0.0.1:5256";

    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EmbedPage_RendersTheCircuitForTheSubject_AndMayBeFramedOnlyByTheSiteOrigins()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync(new Uri(Link("shop-customer-1"), UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"frame-ancestors {DemoOrigin}", FrameAncestors(response));
        Assert.False(response.Headers.Contains("X-Frame-Options"), "X-Frame-Options: SAMEORIGIN would contradict frame-ancestors");
        Assert.Contains("script-src 'self';", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<!--Blazor:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await CustomersForAsync("shop-customer-1"));
    }

    [Fact]
    public async Task EmbedPage_MapsTheSameSubjectToTheSameCustomer_WhenOpenedWithFreshLinks()
    {
        using var client = _app.CreateClient();

        using var first = await client.GetAsync(new Uri(Link("returning"), UriKind.Relative));
        using var second = await client.GetAsync(new Uri(Link("returning"), UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(1, await CustomersForAsync("returning"));
    }

    [Fact]
    public async Task EmbedPage_RefusesAReplayedLink_WithAStyledErrorAndNoPage()
    {
        using var client = _app.CreateClient();
        var link = Link("replayer");
        using var first = await client.GetAsync(new Uri(link, UriKind.Relative));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(link, UriKind.Relative));
        request.Headers.Referrer = new Uri(DemoOrigin + "/account/texts");
        using var again = await client.SendAsync(request);

        var html = await again.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Contains("This link has already been used", html, StringComparison.Ordinal);
        Assert.Contains($"data-target-origin=\"{DemoOrigin}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<!--Blazor:", html, StringComparison.Ordinal);
        Assert.Equal($"frame-ancestors {DemoOrigin}", FrameAncestors(again));
        Assert.False(again.Headers.Contains("X-Frame-Options"));
    }

    [Theory]
    [InlineData("expired", HttpStatusCode.Gone, "This link has expired")]
    [InlineData("too-long", HttpStatusCode.Forbidden, "This link is not valid")]
    [InlineData("altered-sub", HttpStatusCode.Forbidden, "This link is not valid")]
    [InlineData("wrong-secret", HttpStatusCode.Forbidden, "This link is not valid")]
    [InlineData("no-signature", HttpStatusCode.BadRequest, "This link is not valid")]
    [InlineData("unknown-site", HttpStatusCode.Forbidden, "This site is not registered")]
    public async Task EmbedPage_RefusesTheLink_WhenItIsNotExactlyWhatTheSiteSigned(string tamper, HttpStatusCode status, string message)
    {
        using var client = _app.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var link = tamper switch
        {
            "expired" => Link("victim", exp: now - 1),
            "too-long" => Link("victim", exp: now + 3600),
            "altered-sub" => Link("victim").Replace("sub=victim", "sub=someone-else", StringComparison.Ordinal),
            "wrong-secret" => Link("victim", secret: "another-secret-entirely-0123456789"),
            "no-signature" => Link("victim")[..Link("victim").IndexOf("&sig=", StringComparison.Ordinal)],
            _ => Link("victim").Replace("/embed/demo", "/embed/nosuchsite", StringComparison.Ordinal),
        };

        using var response = await client.GetAsync(new Uri(link, UriKind.Relative));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<!--Blazor:", html, StringComparison.Ordinal);
        Assert.Equal(0, await CustomersForAsync("victim") + await CustomersForAsync("someone-else"));
        Assert.Equal(tamper == "unknown-site" ? "frame-ancestors 'self'" : $"frame-ancestors {DemoOrigin}", FrameAncestors(response));
    }

    [Theory]
    [InlineData("customer-\u202E24")]
    [InlineData("ali\u200Bce")]
    [InlineData("\u2066alice\u2069")]
    [InlineData("customer\u2028-42")]
    public async Task EmbedPage_RefusesASignedLink_WhenTheSubjectHoldsBidiOrInvisibleCharacters(string sub)
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync(new Uri(Link(sub), UriKind.Relative));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This link is not valid", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<!--Blazor:", html, StringComparison.Ordinal);
        Assert.Equal(0, await CustomersForAsync(sub));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/Account/Login")]
    [InlineData("/css/site.css")]
    [InlineData("/not-a-page")]
    public async Task NonEmbedResponses_AllowFramingBySelfOnly(string path)
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal("frame-ancestors 'self'", FrameAncestors(response));
    }

    private static string FrameAncestors(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("frame-ancestors ", StringComparison.Ordinal));

    private static string Link(string sub, long? exp = null, string secret = Secret)
    {
        var expires = exp ?? DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var sig = EmbedLink.Sign(secret, "demo", sub, expires, nonce);
        return string.Create(CultureInfo.InvariantCulture, $"/embed/demo?sub={Uri.EscapeDataString(sub)}&exp={expires}&nonce={nonce}&sig={sig}");
    }

    private async Task<int> CustomersForAsync(string sub)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        return await db.Customers.CountAsync(c => c.EmbedSiteId == "demo" && c.ExternalSubject == sub);
    }
}
