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
        using var stranger = new StaticSite($"<!doctype html><title>Stranger</title><h1>Stranger</h1><iframe title=\"Framed preferences\" src=\"{link}\"></iframe>");
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

    [Fact]
    public async Task EmbeddedPage_RejoinsItsCircuit_AfterTheNetworkDrops()
    {
        // The frame reaches the app through a proxy the test can cut, as a flaky mobile connection would.
        using var proxy = new DroppingProxy(new Uri(fixture.App.BaseUrl).Port);
        using var host = new StaticSite(html: null);
        var siteId = $"flaky-{Guid.NewGuid():N}"[..20];
        var created = await fixture.App.Services.GetRequiredService<EmbedSites>().CreateAsync(siteId, "Flaky shop", [host.Url.TrimEnd('/')], null, null, false, TestContext.Current.CancellationToken);
        var link = SignedLink(siteId, created.Secret, sub: "rejoin", baseUrl: proxy.Url);
        host.Html = $"<!doctype html><html lang=\"en\"><title>Flaky shop</title><h1>Flaky shop</h1><iframe title=\"Text message preferences\" style=\"width:100%;height:900px\" src=\"{link}\"></iframe></html>";
        var context = await fixture.NewCookieBlockingContextAsync();
        var page = await context.NewPageAsync();
        var demo = new EmbedDemoPage(page, fixture.App.BaseUrl);

        await page.GotoAsync(host.Url);
        await demo.VerifyNumberAsync("07700 900205", () => new DevSmsPage(context).LatestCodeForAsync("+447700900205"));
        var connectionsBefore = proxy.Accepted;
        proxy.DropAll();
        await demo.Promotions.CheckAsync();

        await Expect(demo.HistoryRows.Filter(new() { HasText = "Agreed" })).ToHaveCountAsync(1);
        await Expect(demo.Promotions).ToBeCheckedAsync();
        Assert.True(proxy.Accepted > connectionsBefore, "the circuit should have opened a new connection after the drop");
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var customer = await db.Customers.SingleAsync(c => c.EmbedSiteId == siteId && c.ExternalSubject == "rejoin", TestContext.Current.CancellationToken);
        Assert.True(await db.ConsentEvents.AnyAsync(e => e.CustomerId == customer.Id && e.Purpose == Purpose.Promotions && e.Method == "embedded:" + siteId, TestContext.Current.CancellationToken));
    }

    // A fresh link, signed as the site's back end would make it.
    private string SignedLink(string siteId, string secret, string sub = "someone", string? baseUrl = null)
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var nonce = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        return $"{baseUrl ?? fixture.App.LocalhostUrl}embed/{siteId}?sub={sub}&exp={exp}&nonce={nonce}&sig={EmbedLink.Sign(secret, siteId, sub, exp, nonce)}";
    }
}
