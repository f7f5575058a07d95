using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Webhooks;
using PreferenceCenter.Web.Features.Webhooks;

namespace PreferenceCenter.Web.Tests.Components;

public sealed class WebhookAdminComponentTests : PreferenceComponentTestContext
{
    public WebhookAdminComponentTests() =>
        JSInterop.SetupModule("http://localhost/js/browser-time.js").Setup<string>("timeZone").SetResult("Etc/UTC");

    private WebhookSubscribers Subscribers => Services.GetRequiredService<WebhookSubscribers>();

    [Fact]
    public async Task RegisterForm_ShowsTheSecretOnceAndStoresItEncrypted_WhenTheInputIsValid()
    {
        var host = await RenderPanelAsync();

        await host.FillAsync("Name", "  Acme CRM ");
        await host.FillAsync("Endpoint URL", "https://crm.example/hooks/consent");
        await host.TickAsync("Account alerts", false);
        await host.TickAsync("Consent given (consent.granted)", false);
        await host.ButtonAsync("Register subscriber");

        var subscriber = Assert.Single(await Subscribers.ListAsync());
        Assert.Equal(("Acme CRM", "https://crm.example/hooks/consent", true), (subscriber.Name, subscriber.Url, subscriber.Active));
        Assert.Equal([Purpose.Promotions], subscriber.Purposes);
        Assert.Equal([ConsentAction.Revoked], subscriber.Actions);
        var secret = host.Field("Signing secret").GetAttribute("value")!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], subscriber.ProtectedSecret, StringComparison.Ordinal);
        Assert.Contains("will not be shown again", host.Markup, StringComparison.Ordinal);
        var row = Row(host, subscriber.Id).TextContent;
        Assert.Contains("consent.revoked · Promotions", row, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, row, StringComparison.Ordinal);

        await host.ButtonAsync("I have copied it");
        Assert.DoesNotContain(secret, host.Markup, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string?, string> BadInput => new()
    {
        { "", "https://crm.example/h", null, "Enter a name." },
        { new string('x', 101), "https://crm.example/h", null, "Use at most 100 characters." },
        { "Acme CRM", "http://crm.example/h", null, "Use https" },
        { "Acme CRM", "crm.example/h", null, "Give an absolute https URL" },
        { "Acme CRM", "https://crm.example/h", "purposes", "Choose at least one purpose." },
        { "Acme CRM", "https://crm.example/h", "actions", "Choose at least one kind of change." },
        { "Acme CRM", "https://169.254.169.254/latest/meta-data/", null, "169.254.169.254 is a link-local address" },
        { "Acme CRM", "https://10.0.0.1/hooks", null, "10.0.0.1 is a private network address" },
        { "Acme CRM", "http://2130706433:8080/hooks", null, "127.0.0.1 is a loopback (this machine) address" },
        { "Acme CRM", "https://[::ffff:127.0.0.1]:8443/hooks", null, "is a loopback (this machine) address" },
        { "Acme CRM", "https://localhost/hooks", null, "localhost is a loopback (this machine) address" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task RegisterForm_ShowsWhatIsWrongAndSavesNothing_WhenTheInputIsInvalid(string name, string url, string? untickAll, string message)
    {
        var host = await RenderPanelAsync();

        await host.FillAsync("Name", name);
        await host.FillAsync("Endpoint URL", url);
        foreach (var label in untickAll switch { "purposes" => ["Account alerts", "Promotions"], "actions" => ["Consent given (consent.granted)", "Consent withdrawn (consent.revoked)"], _ => Array.Empty<string>() })
        {
            await host.TickAsync(label, false);
        }

        await host.ButtonAsync("Register subscriber");

        Assert.Contains("Nothing was saved", host.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Contains(message, host.Markup, StringComparison.Ordinal);
        Assert.Empty(await Subscribers.ListAsync());
    }

    [Fact]
    public async Task PauseAndResume_SwitchTheSubscribersActiveFlag()
    {
        var created = await Subscribers.CreateAsync("Acme CRM", "https://crm.example/h", PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked]);
        var host = await RenderPanelAsync();

        await host.Find("button[aria-label='Pause deliveries to Acme CRM']").ClickAsync(new MouseEventArgs());
        Assert.False(Assert.Single(await Subscribers.ListAsync()).Active);
        Assert.Contains("Paused", Row(host, created.Subscriber.Id).TextContent, StringComparison.Ordinal);

        await host.Find("button[aria-label='Resume deliveries to Acme CRM']").ClickAsync(new MouseEventArgs());
        Assert.True(Assert.Single(await Subscribers.ListAsync()).Active);
    }

    private async Task<IRenderedComponent<ProvidersHost>> RenderPanelAsync()
    {
        var expected = (await Subscribers.ListAsync()).Count;
        var host = Render<ProvidersHost>(p => p.AddChildContent<WebhookAdminPanel>());
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[aria-label='Loading subscribers']")));
        Assert.Equal(expected, host.FindAll("tr[data-subscriber]").Count);
        return host;
    }

    private static IElement Row(IRenderedComponent<ProvidersHost> host, Guid id) => host.Find($"tr[data-subscriber='{id}']");
}
