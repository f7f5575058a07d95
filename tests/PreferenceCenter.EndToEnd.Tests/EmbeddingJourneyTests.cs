using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Embedding;
using PreferenceCenter.Infrastructure.Embedding;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.Infrastructure.Persistence;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

[Collection(BrowserGroup.Name)]
public sealed class EmbeddingJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task EmbeddedPage_LetsAShopCustomerOptIn_InsideACrossSiteFrame_WithThirdPartyCookiesBlocked()
    {
        var context = await fixture.NewCookieBlockingContextAsync();
        var page = await context.NewPageAsync();
        var demo = new EmbedDemoPage(page, fixture.App.BaseUrl);
        var shopCustomer = $"shop-{Guid.NewGuid():N}";

        await demo.OpenAsync(shopCustomer);
        await Expect(demo.Promotions).Not.ToBeCheckedAsync();
        await Expect(demo.Events).ToContainTextAsync("ready");
        await demo.VerifyNumberAsync("07700 900204", () => new DevSmsPage(context).LatestCodeForAsync("+447700900204"));
        await demo.Promotions.CheckAsync();

        await Expect(demo.Events).ToContainTextAsync("consent-changed: Promotions granted");
        await Expect(demo.Promotions).ToBeCheckedAsync();

        // Nothing rode on a cookie of the framed site: the identity lives in the circuit.
        Assert.Empty(await context.CookiesAsync([fixture.App.LocalhostUrl]));
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var customer = await db.Customers.SingleAsync(c => c.EmbedSiteId == "demo" && c.ExternalSubject == shopCustomer, TestContext.Current.CancellationToken);
        var grant = await db.ConsentEvents.SingleAsync(e => e.CustomerId == customer.Id && e.Action == ConsentAction.Granted, TestContext.Current.CancellationToken);
        Assert.Equal(("embedded:demo", fixture.App.BaseUrl.TrimEnd('/'), Purpose.Promotions), (grant.Method, grant.Origin, grant.Purpose));
    }

    [Fact]
    public async Task EmbeddedPage_IsRefusedByChromium_WhenFramedByAnOriginNotOnTheList()
    {
        var page = await fixture.NewPageAsync();

        // A site registered for https://other.example only; a page on our 127.0.0.1 origin frames a valid link of it.
        var siteId = $"other-{Guid.NewGuid():N}"[..20];
        var created = await fixture.App.Services.GetRequiredService<EmbedSites>().CreateAsync(siteId, "Other shop", ["https://other.example"], null, null, false, TestContext.Current.CancellationToken);
        var link = SignedLink(siteId, created.Secret);
        using var stranger = new StrangerSite($"<!doctype html><title>Stranger</title><h1>Stranger</h1><iframe title=\"Framed preferences\" src=\"{link}\"></iframe>");
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.FrameNavigated += (_, frame) =>
        {
            if (frame != page.MainFrame)
            {
                refused.TrySetResult(frame.Url);
            }
        };

        await page.GotoAsync(stranger.Url);

        // The server did answer (the link's nonce is now used up), and Chromium put its error page in the frame.
        Assert.StartsWith("chrome-error://", await refused.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await Expect(page.FrameLocator("iframe").GetByRole(AriaRole.Heading, new() { Name = "Text message preferences" })).ToHaveCountAsync(0);
        var nonce = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query)["nonce"];
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.True(await db.EmbedNonces.AnyAsync(n => n.SiteId == siteId && n.Nonce == nonce, TestContext.Current.CancellationToken));
    }

    // A fresh link, signed as the site's back end would make it.
    private string SignedLink(string siteId, string secret)
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var nonce = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        return $"{fixture.App.LocalhostUrl}embed/{siteId}?sub=someone&exp={exp}&nonce={nonce}&sig={EmbedLink.Sign(secret, siteId, "someone", exp, nonce)}";
    }

    /// <summary>A real web server on another loopback port: an origin the site never registered.</summary>
    private sealed class StrangerSite : IDisposable
    {
        private readonly System.Net.HttpListener _listener = new();

        public StrangerSite(string html)
        {
            using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((System.Net.IPEndPoint)probe.LocalEndpoint).Port}/";
            }

            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = ServeAsync(html);
        }

        public string Url { get; }

        public void Dispose() => _listener.Close();

        private async Task ServeAsync(string html)
        {
            while (_listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is System.Net.HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var body = System.Text.Encoding.UTF8.GetBytes(html);
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
