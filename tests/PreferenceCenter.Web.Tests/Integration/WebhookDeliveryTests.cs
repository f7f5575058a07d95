using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Domain.Webhooks;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Webhooks;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>
/// The real app (its own hosted dispatcher, real SQLite) delivering to a real HTTP receiver on a free port. Retry
/// delays are milliseconds here; every wait polls for a condition.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private static readonly ConsentAction[] BothActions = [ConsentAction.Granted, ConsentAction.Revoked];
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Delivery_IsSignedSoTheDocumentedAlgorithmVerifiesIt_AndCarriesTheChangeFeedEvent()
    {
        await using var app = App(maxAttempts: 5);
        var created = await Subscribers(app).CreateAsync("CRM", _receiver.Url(), PurposeCatalog.Default.All, BothActions);
        var customer = await CustomersWithConsent.CreateAsync(app, "+447700900701");

        await Poll.UntilAsync(() => _receiver.Accepted.Count == 1, "the grant is delivered");

        var hook = _receiver.Accepted.Single();
        Assert.Equal("application/json; charset=utf-8", hook.ContentType);
        Assert.True(VerifiesWithTheDocumentedAlgorithm(created.Secret, hook.Id!, hook.Timestamp!, hook.Body, hook.Signature!));
        Assert.False(VerifiesWithTheDocumentedAlgorithm(created.Secret, hook.Id!, hook.Timestamp!, [.. hook.Body, (byte)' '], hook.Signature!));
        Assert.False(VerifiesWithTheDocumentedAlgorithm(WebhookSignature.NewSecret(), hook.Id!, hook.Timestamp!, hook.Body, hook.Signature!));
        Assert.InRange(long.Parse(hook.Timestamp!, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());

        var json = hook.Json;
        var data = json.GetProperty("data");
        Assert.Equal(("consent.granted", hook.Id), (json.GetProperty("type").GetString(), json.GetProperty("id").GetString()));
        Assert.Equal((customer, "+447700900701", "Promotions", "Granted", "web"), (hook.CustomerId, data.GetProperty("phone").GetString(), data.GetProperty("purpose").GetString(), data.GetProperty("action").GetString(), data.GetProperty("method").GetString()));
        Assert.Equal(64, data.GetProperty("textSha256").GetString()!.Length);

        // The same event from the change feed, byte for byte.
        var key = await app.Services.GetRequiredService<IntegrationKeys>().CreateAsync("Feed reader", [ApiScopes.ConsentsRead]);
        using var client = ApiClients.For(app, key.Key);
        var feed = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/changes?after={hook.Sequence - 1}&limit=1", UriKind.Relative));
        Assert.Equal(feed.GetProperty("events")[0].GetRawText(), data.GetRawText());
    }

    [Fact]
    public async Task Deliveries_ResumeInOrderWithNoneLost_AfterTheReceiverWasDown()
    {
        await _receiver.StopAsync();
        await using var app = App(maxAttempts: 100);
        var subscriber = (await Subscribers(app).CreateAsync("CRM", _receiver.Url(), PurposeCatalog.Default.All, BothActions)).Subscriber;
        var alice = await CustomersWithConsent.CreateAsync(app, "+447700900711");
        var bob = await CustomersWithConsent.CreateAsync(app, "+447700900712");
        await ChangeBackAndForthAsync(app, alice, bob);
        const int Events = 10;

        await Poll.UntilAsync(async () => (await DeliveriesAsync(app)) is { Count: Events } d && d.Count(x => x.Attempts >= 2) == 2, "every delivery is queued and each customer's first has failed twice");

        // Only each customer's earliest change is tried; the later ones wait behind it.
        Assert.Equal([1L, 2], (await DeliveriesAsync(app)).Where(d => d.Attempts > 0).Select(d => d.Sequence));
        var whileDown = (await Sync(app).OverviewAsync()).Subscribers.Single();
        Assert.Equal((Events, Events), (whileDown.Lag, whileDown.Pending));
        Assert.Contains(whileDown.RecentFailures, f => f.StatusCode is null && f.Error!.Length > 0);
        Assert.Empty(_receiver.Received);

        await _receiver.RestartAsync();
        await Poll.UntilAsync(async () => (await DeliveriesAsync(app)).All(d => d.Status == WebhookDeliveryStatus.Delivered), "every delivery has gone out");

        await using var db = await OpenAsync(app);
        var events = (await db.ConsentEvents.OrderBy(e => e.Sequence).Select(e => new { e.Id, e.Sequence, e.CustomerId }).ToListAsync()).Select(e => new { Id = e.Id.ToString(), e.Sequence, e.CustomerId }).ToList();
        var accepted = _receiver.Accepted;
        Assert.Equal(events.Select(e => e.Id).Order(), accepted.Select(a => a.Id!).Distinct().Order());
        Assert.All(accepted, a => Assert.Equal(events.Single(e => e.Id == a.Id).Sequence, a.Sequence));
        foreach (var customer in new[] { alice, bob })
        {
            // In the order of first arrival, each customer's changes are in ledger order.
            var arrived = accepted.Where(a => a.CustomerId == customer).Select(a => a.Sequence).Distinct().ToList();
            Assert.Equal(events.Where(e => e.CustomerId == customer).Select(e => e.Sequence), arrived);
        }

        var caughtUp = (await Sync(app).OverviewAsync()).Subscribers.Single();
        Assert.Equal((0L, 0, (long?)Events), (caughtUp.Lag, caughtUp.Pending, caughtUp.LastDeliveredSequence));
        Assert.Equal(subscriber.Id, caughtUp.Subscriber.Id);
    }

    [Fact]
    public async Task Delivery_IsDeadLetteredAfterTheLastAttempt_WithoutBlockingLaterChanges_AndGoesOutWhenRetried()
    {
        _receiver.Answer = HttpStatusCode.ServiceUnavailable;
        _receiver.ErrorBody = "Service Unavailable: " + new string('x', 2000);
        await using var app = App(maxAttempts: 3);
        var subscriber = (await Subscribers(app).CreateAsync("CRM", _receiver.Url(), PurposeCatalog.Default.All, BothActions)).Subscriber;
        var customer = await CustomersWithConsent.CreateAsync(app, "+447700900721");

        await Poll.UntilAsync(async () => (await DeliveriesAsync(app)).SingleOrDefault()?.Status == WebhookDeliveryStatus.DeadLettered, "the delivery is dead-lettered");

        var dead = (await DeliveriesAsync(app)).Single();
        Assert.Equal((3, 503), (dead.Attempts, dead.LastStatusCode));
        Assert.Equal("HTTP 503", dead.LastError); // the receiver's body is never kept or shown
        Assert.Equal(3, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => r.Id).Distinct());
        var status = (await Sync(app).OverviewAsync()).Subscribers.Single();
        Assert.Equal((1, WebhookDeliveryStatus.DeadLettered, (int?)503), (status.DeadLettered, status.RecentFailures.Single().Status, status.RecentFailures.Single().StatusCode));

        _receiver.Answer = HttpStatusCode.NoContent;
        await app.Services.GetRequiredService<IConsentService>().RevokeAsync(customer, Purpose.Promotions, 2, Evidence(customer));
        await Poll.UntilAsync(() => _receiver.Accepted.Count == 1, "the customer's next change is delivered");
        Assert.Equal(dead.Sequence + 1, _receiver.Accepted.Single().Sequence);

        Assert.Equal(1, await Sync(app).RetryDeadLettersAsync(subscriber.Id));
        await Poll.UntilAsync(() => _receiver.Accepted.Count == 2, "the retried dead letter is delivered");
        Assert.Equal(_receiver.Received[0].Id, _receiver.Accepted[1].Id);
        Assert.Equal(0, (await Sync(app).OverviewAsync()).Subscribers.Single().DeadLettered);
    }

    [Fact]
    public async Task Replay_SendsEveryEventAfterTheCursorAgainInOrder_IncludingOnesFromBeforeTheSubscriberExisted()
    {
        await using var app = App(maxAttempts: 5);
        var customer = await CustomersWithConsent.CreateAsync(app, "+447700900731");
        await Poll.UntilAsync(() => OutboxEmptyAsync(app), "the first change was fanned out to nobody");
        var subscriber = (await Subscribers(app).CreateAsync("CRM", _receiver.Url(), PurposeCatalog.Default.All, BothActions)).Subscriber;
        var consents = app.Services.GetRequiredService<IConsentService>();
        await consents.RevokeAsync(customer, Purpose.Promotions, 2, Evidence(customer));
        await consents.GrantAsync(customer, Purpose.AccountAlerts, 1, Evidence(customer));
        await Poll.UntilAsync(() => _receiver.Accepted.Count == 2, "the two new changes are delivered");
        Assert.Equal([2L, 3], _receiver.Accepted.Select(a => a.Sequence));

        Assert.Equal(3, await Sync(app).ReplayAsync(subscriber.Id, afterSequence: 0));

        await Poll.UntilAsync(() => _receiver.Accepted.Count == 5, "the replay is delivered");
        var replayed = _receiver.Accepted.Skip(2).ToList();
        Assert.Equal([1L, 2, 3], replayed.Select(a => a.Sequence));
        Assert.Equal(_receiver.Accepted.Take(2).Select(a => a.Id), replayed.Skip(1).Select(a => a.Id));

        // The receiver has the last event before the dispatcher records its answer: lag reaches zero just after.
        await Poll.UntilAsync(async () => (await Sync(app).OverviewAsync()).Subscribers.Single().Lag == 0, "the subscriber has no lag after the replay");
    }

    [Fact]
    public async Task Deliveries_FollowEachSubscribersFilter()
    {
        await using var app = App(maxAttempts: 5);
        await Subscribers(app).CreateAsync("Opt-outs", _receiver.Url("/optouts"), [Purpose.Promotions], [ConsentAction.Revoked]);
        await Subscribers(app).CreateAsync("Everything", _receiver.Url("/all"), PurposeCatalog.Default.All, BothActions);
        var customer = await CustomersWithConsent.CreateAsync(app, "+447700900741");
        var consents = app.Services.GetRequiredService<IConsentService>();
        await consents.GrantAsync(customer, Purpose.AccountAlerts, 1, Evidence(customer));
        await consents.RevokeAsync(customer, Purpose.Promotions, 2, Evidence(customer));
        await consents.RevokeAsync(customer, Purpose.AccountAlerts, 1, Evidence(customer));

        await Poll.UntilAsync(async () => await OutboxEmptyAsync(app) && (await DeliveriesAsync(app)).All(d => d.Status == WebhookDeliveryStatus.Delivered), "every wanted change is delivered");

        Assert.Equal([1L, 2, 3, 4], _receiver.Accepted.Where(a => a.Path == "/all").Select(a => a.Sequence).Order());
        var optOut = Assert.Single(_receiver.Accepted, a => a.Path == "/optouts");
        Assert.Equal((3L, "consent.revoked"), (optOut.Sequence, optOut.Json.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Delivery_IsNeverSentUnsigned_WhenTheSecretCannotBeDecrypted()
    {
        await using var app = App(maxAttempts: 5);
        var subscriber = (await Subscribers(app).CreateAsync("CRM", _receiver.Url(), PurposeCatalog.Default.All, BothActions)).Subscriber;
        await using (var db = await OpenAsync(app))
        {
            await db.Database.ExecuteSqlAsync($"UPDATE WebhookSubscribers SET ProtectedSecret = 'not-a-protected-secret' WHERE Id = {subscriber.Id}");
        }

        await CustomersWithConsent.CreateAsync(app, "+447700900751");

        await Poll.UntilAsync(async () => (await DeliveriesAsync(app)).SingleOrDefault()?.Attempts >= 2, "the delivery has failed twice");
        Assert.Contains("could not be decrypted", (await DeliveriesAsync(app)).Single().LastError, StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task Delivery_IsBlockedBeforeAnyRequest_WhenTheReceiverIsOnLoopbackAndPrivateNetworksAreNotAllowed()
    {
        await using var app = App(maxAttempts: 2, allowPrivateNetworks: false);
        await Assert.ThrowsAsync<ArgumentException>(() => Subscribers(app).CreateAsync("Metadata", "https://169.254.169.254/latest/meta-data/", PurposeCatalog.Default.All, BothActions));
        await Assert.ThrowsAsync<ArgumentException>(() => Subscribers(app).CreateAsync("Local", _receiver.Url(), PurposeCatalog.Default.All, BothActions));

        // A name that passed registration and now resolves to this machine (DNS rebinding) looks like this to the dispatcher.
        var subscriber = (await Subscribers(app).CreateAsync("CRM", "https://crm.example/hooks", PurposeCatalog.Default.All, BothActions)).Subscriber;
        await using (var db = await OpenAsync(app))
        {
            await db.Database.ExecuteSqlAsync($"UPDATE WebhookSubscribers SET Url = {_receiver.Url()} WHERE Id = {subscriber.Id}");
        }

        await CustomersWithConsent.CreateAsync(app, "+447700900761");

        await Poll.UntilAsync(async () => (await DeliveriesAsync(app)).SingleOrDefault()?.Status == WebhookDeliveryStatus.DeadLettered, "the delivery is dead-lettered");
        var dead = (await DeliveriesAsync(app)).Single();
        Assert.Equal((WebhookFailures.Blocked, (int?)null), (dead.LastError, dead.LastStatusCode));
        Assert.Empty(_receiver.Received);
    }

    /// <summary>Standard Webhooks, written out again here rather than calling the app's own code.</summary>
    private static bool VerifiesWithTheDocumentedAlgorithm(string secret, string id, string timestamp, byte[] body, string signatureHeader)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
        return signatureHeader.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }

    private static async Task ChangeBackAndForthAsync(PreferenceCenterAppFactory app, params Guid[] customers)
    {
        var consents = app.Services.GetRequiredService<IConsentService>();
        Func<Guid, Task>[] steps =
        [
            c => consents.RevokeAsync(c, Purpose.Promotions, 2, Evidence(c)),
            c => consents.GrantAsync(c, Purpose.AccountAlerts, 1, Evidence(c)),
            c => consents.GrantAsync(c, Purpose.Promotions, 2, Evidence(c)),
            c => consents.RevokeAsync(c, Purpose.AccountAlerts, 1, Evidence(c)),
        ];
        foreach (var step in steps)
        {
            foreach (var customer in customers)
            {
                await step(customer);
            }
        }
    }

    private static PreferenceCenterAppFactory App(int maxAttempts, bool allowPrivateNetworks = true) => new("Development", new Dictionary<string, string?>
    {
        ["Webhooks:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
        ["Webhooks:PollInterval"] = "00:00:00.050",
        ["Webhooks:InitialRetryDelay"] = "00:00:00.050",
        ["Webhooks:MaxRetryDelay"] = "00:00:00.200",
        ["Webhooks:MaxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture),
        ["Webhooks:RequestTimeout"] = "00:00:05",
        ["Webhooks:LeaseDuration"] = "00:00:10",
    });

    private static WebhookSubscribers Subscribers(PreferenceCenterAppFactory app) => app.Services.GetRequiredService<WebhookSubscribers>();

    private static WebhookSync Sync(PreferenceCenterAppFactory app) => app.Services.GetRequiredService<WebhookSync>();

    private static ConsentEvidence Evidence(Guid customer) => new(ConsentMethod.Web, $"customer:{customer}", "203.0.113.1", "Test", "en");

    private static Task<PreferenceCenterDbContext> OpenAsync(PreferenceCenterAppFactory app) =>
        app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();

    private static async Task<bool> OutboxEmptyAsync(PreferenceCenterAppFactory app)
    {
        await using var db = await OpenAsync(app);
        var head = await db.ConsentEvents.MaxAsync(e => (long?)e.Sequence) ?? 0;
        return (await db.WebhookFanOut.SingleAsync()).Through >= head;
    }

    private static async Task<List<WebhookDelivery>> DeliveriesAsync(PreferenceCenterAppFactory app)
    {
        await using var db = await OpenAsync(app);
        return await db.WebhookDeliveries.AsNoTracking().OrderBy(d => d.Sequence).ToListAsync();
    }
}
