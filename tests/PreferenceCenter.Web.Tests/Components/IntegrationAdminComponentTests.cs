using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
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

        await FillAsync(host, "Name", "  Acme CRM ");
        await TickAsync(host, ApiScopes.ConsentsRead);
        await TickAsync(host, ApiScopes.Import);
        await ButtonAsync(host, "Create integration");

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
        await ButtonAsync(host, "I have copied it");
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

        await FillAsync(host, "Name", name);
        if (tickAScope)
        {
            await TickAsync(host, ApiScopes.ConsentsWrite);
        }

        await ButtonAsync(host, "Create integration");

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

        await ConfirmAsync(host, "Revoke key of Acme CRM", "Revoke key");

        Assert.Null(await Keys.AuthenticateAsync(created.Key));
        Assert.Contains("Revoked", Row(host, created.Integration.Id).TextContent, StringComparison.Ordinal);
        Assert.True(Button(host, "Revoke key of Acme CRM").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Revoke_KeepsTheKeyWorking_WhenCancelled()
    {
        var created = await Keys.CreateAsync("Acme CRM", [ApiScopes.ConsentsRead]);
        var host = await RenderPanelAsync();

        await ConfirmAsync(host, "Revoke key of Acme CRM", "Cancel");

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

    /// <summary>Finds a field by its visible label, so the label must really point at it.</summary>
    private static Task FillAsync(IRenderedComponent<ProvidersHost> host, string label, string value)
    {
        var id = host.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for");
        return host.Find($"#{id}").ChangeAsync(new ChangeEventArgs { Value = value });
    }

    /// <summary>Ticks the checkbox whose label starts with the scope's name.</summary>
    private static Task TickAsync(IRenderedComponent<ProvidersHost> host, string scope) =>
        host.FindAll("label").Single(l => l.TextContent.Trim().StartsWith($"{scope}:", StringComparison.Ordinal))
            .QuerySelector("input[type=checkbox]")!.ChangeAsync(new ChangeEventArgs { Value = true });

    private static string ShownKey(IRenderedComponent<ProvidersHost> host)
    {
        var id = host.FindAll("label").Single(l => l.TextContent.Trim() == "API key").GetAttribute("for");
        var key = host.Find($"#{id}").GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(key));
        return key;
    }

    /// <summary>Clicks a row's button, then a button of the confirm dialog it opens.</summary>
    private static async Task ConfirmAsync(IRenderedComponent<ProvidersHost> host, string rowButton, string answer)
    {
        // The click's handler waits for the dialog's answer, so it finishes only after the second click.
        var clicked = Button(host, rowButton).ClickAsync(new MouseEventArgs());
        host.WaitForElement(".mud-dialog");
        await host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == answer).ClickAsync(new MouseEventArgs());
        await clicked;
    }

    private static Task ButtonAsync(IRenderedComponent<ProvidersHost> host, string text) =>
        host.FindAll("button").Single(b => b.TextContent.Trim() == text).ClickAsync(new MouseEventArgs());

    private static IElement Button(IRenderedComponent<ProvidersHost> host, string accessibleName) =>
        host.Find($"button[aria-label='{accessibleName}']");

    private static IElement Row(IRenderedComponent<ProvidersHost> host, Guid id) => host.Find($"tr[data-integration='{id}']");
}
