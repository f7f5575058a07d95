using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Webhooks;
using PreferenceCenter.Infrastructure.Webhooks;
using PreferenceCenter.Web.Features.Webhooks;

namespace PreferenceCenter.Web.Tests.Components;

/// <summary>The sync status page on a real database: two changes, the first dead-lettered with a 503.</summary>
public sealed class SyncStatusComponentTests : PreferenceComponentTestContext
{
    private Guid _subscriberId;

    public SyncStatusComponentTests() =>
        JSInterop.SetupModule("http://localhost/js/browser-time.js").Setup<string>("timeZone").SetResult("Etc/UTC");

    [Fact]
    public async Task SyncPanel_ShowsLagDeadLettersAndTheStatusButNeverTheReceiversBody_PerSubscriber()
    {
        await SeedAsync();

        var host = RenderPanel();

        var card = host.Find($"section[data-subscriber='{_subscriberId}']");
        Assert.Equal("Acme CRM", card.QuerySelector("h2")!.TextContent.Trim());
        Assert.Equal(("1", "1", "1"), (Fact(card, "lag"), Fact(card, "pending"), Fact(card, "dead")));
        var failure = card.QuerySelector("tr[data-sequence='1']")!.TextContent;
        Assert.Contains("Dead letter", failure, StringComparison.Ordinal);
        Assert.Contains("503", failure, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", failure, StringComparison.Ordinal);

        // Stored before errors were reduced to categories: the receiver's own words stay off the page.
        Assert.DoesNotContain("down for maintenance", host.Markup, StringComparison.Ordinal);
        Assert.Contains(host.FindAll("p"), p => p.TextContent.Contains("latest event is #2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncPanel_FollowsDeliveriesOnItsOwn_UntilLiveUpdatesAreSwitchedOff()
    {
        await SeedAsync();
        var host = RenderPanel();
        var card = () => host.Find($"section[data-subscriber='{_subscriberId}']");
        Assert.Equal("1", Fact(card(), "pending"));

        // The second change reaches the receiver while the admin watches; nobody clicks Refresh.
        await DeliverSecondAsync();
        Clock.Advance(TimeSpan.FromSeconds(5));
        host.WaitForAssertion(() => Assert.Equal("0", Fact(card(), "pending")));

        // MudSwitch wraps its input in the label: that is what names it.
        await host.FindAll("label").Single(l => l.TextContent.Trim() == "Update every 5 seconds").QuerySelector("input")!.ChangeAsync(new ChangeEventArgs { Value = false });
        await RetryDeadLettersInDatabaseAsync();
        Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(("0", "1"), (Fact(card(), "pending"), Fact(card(), "dead")));

        await host.FindAll("button").Single(b => b.TextContent.Trim() == "Refresh").ClickAsync(new MouseEventArgs());
        Assert.Equal(("1", "0"), (Fact(card(), "pending"), Fact(card(), "dead")));
    }

    [Fact]
    public async Task RetryDeadLetters_QueuesThemAgain_WhenClicked()
    {
        await SeedAsync();
        var host = RenderPanel();

        await host.Find("button[aria-label='Retry dead letters of Acme CRM']").ClickAsync(new MouseEventArgs());

        Assert.Contains("1 dead letter of Acme CRM queued again.", host.Find("[role=status]").TextContent, StringComparison.Ordinal);
        Assert.Equal([(1L, WebhookDeliveryStatus.Pending, 0), (2L, WebhookDeliveryStatus.Pending, 0)], await DeliveriesAsync());
        Assert.True(host.Find("button[aria-label='Retry dead letters of Acme CRM']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Replay_QueuesEveryEventAfterTheCursor_WhenConfirmed()
    {
        await SeedAsync();
        await DeliverSecondAsync();
        var host = RenderPanel();

        await host.FillAsync("Replay after sequence", "1");
        await host.ConfirmAsync("Replay to Acme CRM", "Replay");

        Assert.Contains("1 delivery to Acme CRM queued from #2.", host.Find("[role=status]").TextContent, StringComparison.Ordinal);
        Assert.Equal([(1L, WebhookDeliveryStatus.DeadLettered, 3), (2L, WebhookDeliveryStatus.Pending, 0)], await DeliveriesAsync());
    }

    [Fact]
    public async Task Replay_QueuesNothing_WhenCancelledOrPastTheEndOfTheLog()
    {
        await SeedAsync();
        await DeliverSecondAsync();
        var host = RenderPanel();
        var before = await DeliveriesAsync();

        await host.FillAsync("Replay after sequence", "3");
        Assert.Equal("3", host.Field("Replay after sequence").GetAttribute("value"));
        await host.Find("button[aria-label='Replay to Acme CRM']").ClickAsync(new MouseEventArgs());
        Assert.Contains("The log ends at #2.", host.Markup, StringComparison.Ordinal);
        Assert.Empty(host.FindAll(".mud-dialog"));

        await host.FillAsync("Replay after sequence", "0");
        await host.ConfirmAsync("Replay to Acme CRM", "Cancel");

        Assert.Equal(before, await DeliveriesAsync());
        Assert.Empty(host.FindAll("[role=status]"));
    }

    /// <summary>A subscriber, two changes fanned out to it, the first failed three times with a 503.</summary>
    private async Task SeedAsync()
    {
        _subscriberId = (await Services.GetRequiredService<WebhookSubscribers>().CreateAsync("Acme CRM", "https://crm.example/h", PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked])).Subscriber.Id;
        await VerifyNumberAsync();
        var consents = Services.GetRequiredService<IConsentService>();
        var evidence = new ConsentEvidence(ConsentMethod.Web, $"customer:{CustomerId}", null, null, "en");
        await consents.GrantAsync(CustomerId, Purpose.Promotions, 2, evidence);
        await consents.GrantAsync(CustomerId, Purpose.AccountAlerts, 1, evidence);
        Assert.Equal(2, await ActivatorUtilities.CreateInstance<WebhookDispatcher>(Services, new NoPayloads()).FanOutAsync(CancellationToken.None));

        await using var db = await OpenAsync();
        var first = await db.WebhookDeliveries.SingleAsync(d => d.Sequence == 1);
        for (var i = 0; i < 3; i++)
        {
            first.Failed(Clock.GetUtcNow(), 503, "HTTP 503 Service Unavailable: down for maintenance", 3, TimeSpan.FromMinutes(1));
        }

        await db.SaveChangesAsync();
    }

    private Task<int> RetryDeadLettersInDatabaseAsync() => Services.GetRequiredService<WebhookSync>().RetryDeadLettersAsync(_subscriberId);

    private async Task DeliverSecondAsync()
    {
        await using var db = await OpenAsync();
        (await db.WebhookDeliveries.SingleAsync(d => d.Sequence == 2)).Succeeded(Clock.GetUtcNow(), 200);
        await db.SaveChangesAsync();
    }

    private async Task<List<(long, WebhookDeliveryStatus, int)>> DeliveriesAsync()
    {
        await using var db = await OpenAsync();
        return (await db.WebhookDeliveries.OrderBy(d => d.Sequence).ToListAsync()).Select(d => (d.Sequence, d.Status, d.Attempts)).ToList();
    }

    private IRenderedComponent<ProvidersHost> RenderPanel()
    {
        var host = Render<ProvidersHost>(p => p.AddChildContent<SyncStatusPanel>());
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[aria-label='Loading sync status']")));
        return host;
    }

    private static string Fact(IElement card, string name) => card.QuerySelector($"td[data-fact='{name}']")!.TextContent.Trim();

    private sealed class NoPayloads : IWebhookPayloadWriter
    {
        public byte[] Write(ConsentEvent consentEvent) => [];
    }
}
