using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Web.Features.Integrations;

namespace PreferenceCenter.Web.Tests.Components;

public sealed class IntegrationAdminComponentTests : PreferenceComponentTestContext
{
    public IntegrationAdminComponentTests() =>
        JSInterop.SetupModule("http://localhost/js/browser-time.js").Setup<string>("timeZone").SetResult("Etc/UTC");

    private IntegrationKeys Keys => Services.GetRequiredService<IntegrationKeys>();

    [Fact]
    public async Task CreateForm_ShowsAKeyThatAuthenticatesOnce_WhenTheInputIsValid()
    {
        var host = await RenderPanelAsync();

        await host.FillAsync("Name", "  Acme CRM ");
        await TickScopeAsync(host, ApiScopes.ConsentsRead);
        await TickScopeAsync(host, ApiScopes.Import);
        await host.ButtonAsync("Create integration");

        var integration = Assert.Single(await Keys.ListAsync());
        Assert.Equal("Acme CRM", integration.Name);
        Assert.Equal([ApiScopes.ConsentsRead, ApiScopes.Import], integration.Scopes);
        var key = ShownKey(host);
        Assert.Equal(integration.Id, (await Keys.AuthenticateAsync(key))?.Id);
        Assert.Contains("will not be shown again", host.Markup, StringComparison.Ordinal);
        Assert.Contains($"curl -H \"X-Api-Key: {key}\" \"http://localhost/api/v1/consents/check?phone=...&amp;purpose=Promotions\"", host.Markup, StringComparison.Ordinal);
        var row = Row(host, integration.Id).TextContent;
        Assert.Contains($"pc_{integration.KeyPrefix}_…", row, StringComparison.Ordinal);
        Assert.Contains("Active", row, StringComparison.Ordinal);
        Assert.DoesNotContain(key, row, StringComparison.Ordinal);

        // Dismissed, or after navigating away and back, the key is nowhere to be seen.
        await host.ButtonAsync("I have copied it");
        Assert.DoesNotContain(key, host.Markup, StringComparison.Ordinal);
        await DisposeComponentsAsync();
        var again = await RenderPanelAsync();
        Assert.DoesNotContain(again.FindAll("label"), l => l.TextContent.Trim() == "API key");
    }

    public static TheoryData<string, bool, string> BadInput => new()
    {
        { "", true, "Enter a name." },
        { "   ", true, "Enter a name." },
        { new string('x', 101), true, "Use at most 100 characters." },
        { "Acme CRM", false, "Choose at least one scope." },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task CreateForm_ShowsWhatIsWrongAndSavesNothing_WhenTheNameOrScopesAreInvalid(string name, bool tickAScope, string message)
    {
        var host = await RenderPanelAsync();

        await host.FillAsync("Name", name);
        if (tickAScope)
        {
            await TickScopeAsync(host, ApiScopes.ConsentsWrite);
        }

        await host.ButtonAsync("Create integration");

        Assert.Contains("Nothing was saved", host.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Contains(message, host.Markup, StringComparison.Ordinal);
        Assert.Empty(await Keys.ListAsync());
        Assert.DoesNotContain(host.FindAll("label"), l => l.TextContent.Trim() == "API key");
    }

    [Fact]
    public async Task Revoke_MakesTheKeyFailToAuthenticate_WhenConfirmed()
    {
        var created = await Keys.CreateAsync("Acme CRM", [ApiScopes.ConsentsRead]);
        var host = await RenderPanelAsync();

        await host.ConfirmAsync("Revoke key of Acme CRM", "Revoke key");

        Assert.Null(await Keys.AuthenticateAsync(created.Key));
        Assert.Contains("Revoked", Row(host, created.Integration.Id).TextContent, StringComparison.Ordinal);
        Assert.True(host.Button("Revoke key of Acme CRM").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Revoke_KeepsTheKeyWorking_WhenCancelled()
    {
        var created = await Keys.CreateAsync("Acme CRM", [ApiScopes.ConsentsRead]);
        var host = await RenderPanelAsync();

        await host.ConfirmAsync("Revoke key of Acme CRM", "Cancel");

        Assert.NotNull(await Keys.AuthenticateAsync(created.Key));
        Assert.Contains("Active", Row(host, created.Integration.Id).TextContent, StringComparison.Ordinal);
    }

    private async Task<IRenderedComponent<ProvidersHost>> RenderPanelAsync()
    {
        var expected = (await Keys.ListAsync()).Count;
        var host = Render<ProvidersHost>(p => p.AddChildContent<IntegrationAdminPanel>());
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[aria-label='Loading integrations']")));
        Assert.Equal(expected, host.FindAll("tr[data-integration]").Count);
        return host;
    }

    /// <summary>Ticks the checkbox whose label starts with the scope's name.</summary>
    private static Task TickScopeAsync(IRenderedComponent<ProvidersHost> host, string scope) => host.TickAsync($"{scope}:");

    private static string ShownKey(IRenderedComponent<ProvidersHost> host)
    {
        var key = host.Field("API key").GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(key));
        return key;
    }

    private static IElement Row(IRenderedComponent<ProvidersHost> host, Guid id) => host.Find($"tr[data-integration='{id}']");
}
