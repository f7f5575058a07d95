using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Infrastructure.Webhooks;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>
/// Double opt-in end to end on the real app: texts come in through the signed provider webhook, requests go out by the
/// API, and a subscriber gets a signed <c>consent.granted</c> only for a YES that counts (ADR 0034).
/// </summary>
public sealed class OptInRequestWebhookTests : IAsyncLifetime
{
    private const string Token = "development-only-auth-token-not-a-secret";
    private const string PromotionsNumber = "+447700900002";
    private static readonly ConsentAction[] BothActions = [ConsentAction.Granted, ConsentAction.Revoked];
    private WebhookReceiver _receiver = null!;
    private PreferenceCenterAppFactory _app = null!;
    private string _secret = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _app = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?>
        {
            ["Webhooks:PollInterval"] = "00:00:00.050",
            ["Webhooks:InitialRetryDelay"] = "00:00:00.050",
            ["Webhooks:MaxRetryDelay"] = "00:00:00.200",
        });
        _secret = (await _app.Services.GetRequiredService<WebhookSubscribers>().CreateAsync("CRM", _receiver.Url(), PurposeCatalog.Default.All, BothActions)).Secret;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task KeywordThenYes_DeliversASignedGrantBySms_ForTheNumber()
    {
        const string number = "+447700900731";
        Assert.Equal(HttpStatusCode.OK, await TextAsync("SM-join-731", number, "JOIN"));
        Assert.Equal(HttpStatusCode.OK, await TextAsync("SM-yes-731", number, "YES"));

        var hook = await OneGrantForAsync(number);

        Assert.Equal(("sms", "Promotions"), (hook.Json.GetProperty("data").GetProperty("method").GetString(), hook.Json.GetProperty("data").GetProperty("purpose").GetString()));
        Assert.Contains("SM-yes-731", hook.Json.GetProperty("data").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TillRequestThenYes_DeliversASignedGrant_AndTheApiShowsTheRequestConfirmed()
    {
        const string number = "+447700900732";
        using var writer = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsWrite);
        using var reader = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsRead);
        using var sent = await RequestAsync(writer, "07700 900732", "till-732");
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var request = await sent.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, await TextAsync("SM-yes-732", number, "Yes"));
        var hook = await OneGrantForAsync(number);
        var listed = await reader.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/opt-in-requests?phone=%2B447700900732", UriKind.Relative));

        Assert.Equal(("store:042", "Open"), (request.GetProperty("source").GetString(), request.GetProperty("status").GetString()));
        var confirmed = listed[0];
        Assert.Equal((request.GetProperty("id").GetInt64(), "Confirmed", hook.Sequence), (confirmed.GetProperty("id").GetInt64(), confirmed.GetProperty("status").GetString(), confirmed.GetProperty("consentEventSequence").GetInt64()));
    }

    [Fact]
    public async Task NoReply_AnotherWord_StopDuringTheRequest_OrAThrottledRequest_DeliverNothing()
    {
        using var writer = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsWrite);
        await TextAsync("SM-join-733", "+447700900733", "JOIN");
        await TextAsync("SM-maybe-733", "+447700900733", "maybe");
        await TextAsync("SM-join-734", "+447700900734", "SUBSCRIBE");
        await TextAsync("SM-stop-734", "+447700900734", "STOP");
        await TextAsync("SM-yes-734", "+447700900734", "YES");
        using (var first = await RequestAsync(writer, "+447700900735", "till-735a"))
        using (var twice = await RequestAsync(writer, "+447700900735", "till-735b"))
        {
            Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Conflict), (first.StatusCode, twice.StatusCode));
            Assert.Equal("AlreadyOpen", (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        }

        // A grant that counts, after all of those: once it is delivered, anything they caused would have been too.
        await TextAsync("SM-join-736", "+447700900736", "JOIN");
        await TextAsync("SM-yes-736", "+447700900736", "YES");
        await OneGrantForAsync("+447700900736");

        Assert.Single(_receiver.Accepted);
    }

    [Fact]
    public async Task YesAfterTheRequestExpired_DeliversNothing_AndGetsOneExpiredReply()
    {
        // Its own app on a clock the test moves; the dispatchers wait on that clock, so every look moves it a little.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?> { ["Webhooks:PollInterval"] = "00:00:00.050" }) { Clock = clock };
        await app.Services.GetRequiredService<WebhookSubscribers>().CreateAsync("CRM", _receiver.Url("/late"), PurposeCatalog.Default.All, BothActions);

        await TextAsync(app, "SM-join-737", "+447700900737", "JOIN");
        clock.Advance(TimeSpan.FromHours(24));
        await TextAsync(app, "SM-yes-737", "+447700900737", "YES");
        await TextAsync(app, "SM-yes-737b", "+447700900737", "YES");

        // A grant that counts, after it: once it is delivered, a grant from the late YES would have been too.
        await TextAsync(app, "SM-join-738", "+447700900738", "JOIN");
        await TextAsync(app, "SM-yes-738", "+447700900738", "YES");
        await Poll.UntilAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(100));
                return _receiver.Accepted.Any(h => h.Path == "/late");
            },
            "the grant that counts is delivered");

        Assert.Equal(["+447700900738"], _receiver.Accepted.Where(h => h.Path == "/late").Select(h => h.Json.GetProperty("data").GetProperty("phone").GetString()));
        await using var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PreferenceCenter.Infrastructure.Persistence.PreferenceCenterDbContext>>().CreateDbContextAsync();
        var replies = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.QueuedTexts.Where(t => t.ToE164 == "+447700900737").Select(t => t.Body));
        Assert.Single(await replies, b => b!.Contains("expired", StringComparison.Ordinal));
    }

    private async Task<ReceivedWebhook> OneGrantForAsync(string number)
    {
        await Poll.UntilAsync(() => _receiver.Accepted.Any(h => h.Json.GetProperty("data").GetProperty("phone").GetString() == number), $"the grant for {number} is delivered");
        var hook = Assert.Single(_receiver.Accepted, h => h.Json.GetProperty("data").GetProperty("phone").GetString() == number);
        Assert.Equal(("consent.granted", "Granted"), (hook.Json.GetProperty("type").GetString(), hook.Json.GetProperty("data").GetProperty("action").GetString()));
        Assert.True(Signed(hook), "the delivery verifies with the subscriber's secret");
        return hook;
    }

    private bool Signed(ReceivedWebhook hook)
    {
        var key = Convert.FromBase64String(_secret["whsec_".Length..]);
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes($"{hook.Id}.{hook.Timestamp}."), .. hook.Body])));
        return long.TryParse(hook.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && hook.Signature!.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }

    private static async Task<HttpResponseMessage> RequestAsync(HttpClient client, string phone, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/opt-in-requests", UriKind.Relative)) { Content = JsonContent.Create(new { phone, purpose = "promotions", source = "store:042" }) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private Task<HttpStatusCode> TextAsync(string sid, string from, string body) => TextAsync(_app, sid, from, body);

    private static async Task<HttpStatusCode> TextAsync(PreferenceCenterAppFactory app, string sid, string from, string body)
    {
        var fields = new Dictionary<string, string> { ["MessageSid"] = sid, ["From"] = from, ["To"] = PromotionsNumber, ["Body"] = body, ["AccountSid"] = "ACtest" };
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/sms/inbound", UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(Token, "http://localhost/sms/inbound", fields));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
