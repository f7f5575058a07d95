using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Embedding;
using PreferenceCenter.Infrastructure.Embedding;
using PreferenceCenter.Web.Features.Embedding;

namespace PreferenceCenter.Web.Tests.Components;

public sealed class EmbedAdminComponentTests : PreferenceComponentTestContext
{
    private const string Nonce = "test-nonce-0123456789";

    public EmbedAdminComponentTests() =>
        JSInterop.SetupModule("http://localhost/js/browser-time.js").Setup<string>("timeZone").SetResult("Etc/UTC");

    private EmbedSites Sites => Services.GetRequiredService<EmbedSites>();

    [Fact]
    public async Task RegisterForm_ShowsTheSecretOnceAndListsTheSite_WhenTheInputIsValid()
    {
        var host = await RenderPanelAsync();

        await host.FillAsync("Site id", "acme-shop");
        await host.FillAsync("Display name", "Acme Shop");
        await host.FillAsync("Allowed origins", "https://shop.acme.example\nhttps://www.acme.example:8443/");
        await host.FillAsync("Primary colour", "#00695c");
        await host.ButtonAsync("Register site");

        var site = Assert.Single(await Sites.ListAsync());
        Assert.Equal(("acme-shop", "Acme Shop", "#00695c"), (site.Id, site.DisplayName, site.PrimaryColor));
        Assert.Equal(["https://shop.acme.example", "https://www.acme.example:8443"], site.AllowedOrigins);
        var secret = ShownSecret(host);
        Assert.NotEqual(secret, site.ProtectedSecret);
        Assert.Contains("will not be shown again", host.Markup, StringComparison.Ordinal);
        Assert.Contains("/embed/acme-shop?sub=…&amp;exp=…&amp;nonce=…&amp;sig=…", host.Markup, StringComparison.Ordinal);
        Assert.Contains("docs/embedding.md", host.Markup, StringComparison.Ordinal);
        Assert.Contains("Acme Shop", Row(host, "acme-shop").TextContent, StringComparison.Ordinal);
        Assert.Equal(EmbedOpenOutcome.Opened, (await OpenAsync("acme-shop", secret)).Outcome);

        // Dismissed, or after navigating away and back, the secret is nowhere to be seen.
        await host.ButtonAsync("I have copied it");
        Assert.DoesNotContain(secret, host.Markup, StringComparison.Ordinal);
        await DisposeComponentsAsync();
        var again = await RenderPanelAsync();
        Assert.DoesNotContain(again.FindAll("label"), l => l.TextContent.Trim() == "Signing secret");
    }

    [Theory]
    [InlineData("Acme Shop", "https://shop.acme.example", "Use 1-40 lowercase letters")]
    [InlineData("-acme", "https://shop.acme.example", "Use 1-40 lowercase letters")]
    [InlineData("acme", "https://shop.acme.example/embed", "Not an origin: https://shop.acme.example/embed")]
    [InlineData("acme", "shop.acme.example", "Not an origin: shop.acme.example")]
    [InlineData("acme", "", "Enter at least one origin")]
    public async Task RegisterForm_ShowsWhatIsWrongAndSavesNothing_WhenTheIdOrAnOriginIsInvalid(string id, string origins, string message)
    {
        var host = await RenderPanelAsync();

        await host.FillAsync("Site id", id);
        await host.FillAsync("Display name", "Acme Shop");
        await host.FillAsync("Allowed origins", origins);
        await host.ButtonAsync("Register site");

        Assert.Contains("Nothing was saved", host.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Contains(message, host.Markup, StringComparison.Ordinal);
        Assert.Empty(await Sites.ListAsync());
        Assert.DoesNotContain(host.FindAll("label"), l => l.TextContent.Trim() == "Signing secret");
    }

    [Fact]
    public async Task RegisterForm_ShowsTheServiceMessageAndKeepsTheFirstSite_WhenTheIdIsTaken()
    {
        var first = await Sites.CreateAsync("acme", "Acme", ["https://acme.example"], null, null, false);
        var host = await RenderPanelAsync();

        await host.FillAsync("Site id", "acme");
        await host.FillAsync("Display name", "Impostor");
        await host.FillAsync("Allowed origins", "https://evil.example");
        await host.ButtonAsync("Register site");

        Assert.Contains("A site with id 'acme' already exists.", host.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        var site = Assert.Single(await Sites.ListAsync());
        Assert.Equal(("Acme", first.Site.ProtectedSecret), (site.DisplayName, site.ProtectedSecret));
    }

    [Fact]
    public async Task RotateSecret_ShowsANewSecretThatSignsValidLinks_WhenConfirmed()
    {
        var old = (await Sites.CreateAsync("acme", "Acme", ["https://acme.example"], null, null, false)).Secret;
        var host = await RenderPanelAsync();

        await host.ConfirmAsync("Rotate secret of acme", "Rotate secret");

        var secret = ShownSecret(host);
        Assert.NotEqual(old, secret);
        var exp = Clock.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds();
        var sig = EmbedLink.Sign(secret, "acme", "customer-42", exp, Nonce);
        Assert.Equal(EmbedLinkCheck.Valid, EmbedLink.Check(secret, "acme", "customer-42", exp.ToString(CultureInfo.InvariantCulture), Nonce, sig, Clock.GetUtcNow(), TimeSpan.FromMinutes(15)));
        Assert.Equal(EmbedOpenOutcome.Opened, (await OpenAsync("acme", secret)).Outcome);
        Assert.Equal(EmbedOpenOutcome.BadSignature, (await OpenAsync("acme", old, nonce: "another-nonce-0123456789")).Outcome);
    }

    [Fact]
    public async Task Disable_RemovesTheSiteFromFind_WhenConfirmed()
    {
        await Sites.CreateAsync("acme", "Acme", ["https://acme.example"], null, null, false);
        var host = await RenderPanelAsync();

        await host.ConfirmAsync("Disable acme", "Disable");

        Assert.Null(await Sites.FindAsync("acme"));
        Assert.Contains("Disabled", Row(host, "acme").TextContent, StringComparison.Ordinal);
        Assert.True(host.Button("Rotate secret of acme").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Disable_KeepsTheSite_WhenCancelled()
    {
        await Sites.CreateAsync("acme", "Acme", ["https://acme.example"], null, null, false);
        var host = await RenderPanelAsync();

        await host.ConfirmAsync("Disable acme", "Cancel");

        Assert.NotNull(await Sites.FindAsync("acme"));
        Assert.Contains("Active", Row(host, "acme").TextContent, StringComparison.Ordinal);
    }

    private async Task<IRenderedComponent<ProvidersHost>> RenderPanelAsync()
    {
        var expected = (await Sites.ListAsync()).Count;
        var host = Render<ProvidersHost>(p => p.AddChildContent<EmbedAdminPanel>());
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[aria-label='Loading sites']")));
        Assert.Equal(expected, host.FindAll("tr[data-site]").Count);
        return host;
    }

    private Task<EmbedOpenResult> OpenAsync(string siteId, string secret, string nonce = Nonce)
    {
        var exp = Clock.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds();
        return Sites.OpenAsync(siteId, "customer-42", exp.ToString(CultureInfo.InvariantCulture), nonce, EmbedLink.Sign(secret, siteId, "customer-42", exp, nonce), null);
    }

    private static string ShownSecret(IRenderedComponent<ProvidersHost> host)
    {
        var secret = host.Field("Signing secret").GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(secret));
        return secret;
    }

    private static IElement Row(IRenderedComponent<ProvidersHost> host, string siteId) => host.Find($"tr[data-site='{siteId}']");
}
