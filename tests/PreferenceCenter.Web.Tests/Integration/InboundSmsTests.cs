using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>Signed webhooks posted to the real /sms/inbound endpoint, with the Development settings (two sending numbers).</summary>
public sealed class InboundSmsTests : IAsyncLifetime
{
    private const string Token = "development-only-auth-token-not-a-secret";
    private const string AlertsNumber = "+447700900001";
    private const string PromotionsNumber = "+447700900002";
    private const string Customer = "+447700900123";

    private readonly PreferenceCenterAppFactory _app = new("Development");
    private HttpClient _client = default!;

    public ValueTask InitializeAsync()
    {
        _client = _app.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Stop_ToPromotionsNumber_RevokesOnlyPromotions_LogsOneEvent_AndRepliesOnce()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);
        await GrantAsync(customer, Purpose.AccountAlerts, 1);

        var response = await PostAsync("SM-stop-1", Customer, PromotionsNumber, "Stop!");

        Assert.Equal(HttpStatusCode.OK, response);
        var states = await Consents.GetStatesAsync(customer);
        Assert.False(states.Single(s => s.Purpose == Purpose.Promotions).Granted);
        Assert.True(states.Single(s => s.Purpose == Purpose.AccountAlerts).Granted);
        var smsEvents = (await Consents.GetHistoryAsync(customer)).Where(h => h.Method == ConsentMethod.Sms).ToList();
        var revocation = Assert.Single(smsEvents);
        Assert.Contains("MessageSid SM-stop-1", revocation.Reason, StringComparison.Ordinal);
        var reply = Assert.Single(await RepliesToAsync(Customer));
        Assert.Contains("unsubscribed from promotional texts", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("offer", reply.Body, StringComparison.OrdinalIgnoreCase);
        Assert.False(await Gateway.CanSendAsync(Customer, Purpose.Promotions));
        Assert.True(await Gateway.CanSendAsync(Customer, Purpose.AccountAlerts));
    }

    [Fact]
    public async Task Stop_ChangesNothing_WhenTheSameMessageSidArrivesAgain_OrStopIsRepeated()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);
        await PostAsync("SM-dup", Customer, PromotionsNumber, "STOP");

        Assert.Equal(HttpStatusCode.OK, await PostAsync("SM-dup", Customer, PromotionsNumber, "STOP"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync("SM-again", Customer, PromotionsNumber, " stop "));

        Assert.Single(await Consents.GetHistoryAsync(customer), h => h.Method == ConsentMethod.Sms);
        Assert.Single(await RepliesToAsync(Customer));
    }

    [Fact]
    public async Task Start_RestoresWhatStopRevoked_AndRepliesOnce()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);
        await PostAsync("SM-1", Customer, PromotionsNumber, "STOP");

        await PostAsync("SM-2", Customer, PromotionsNumber, "start");

        Assert.True((await Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions).Granted);
        Assert.True(await Gateway.CanSendAsync(Customer, Purpose.Promotions));
        var replies = await RepliesToAsync(Customer);
        Assert.Equal(2, replies.Count);
        Assert.Contains("resubscribed to promotional texts", replies[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAll_RevokesEveryPurpose_WhicheverNumberItWasSentTo()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);
        await GrantAsync(customer, Purpose.AccountAlerts, 1);

        await PostAsync("SM-all", Customer, PromotionsNumber, "STOPALL");

        Assert.All(await Consents.GetStatesAsync(customer), s => Assert.False(s.Granted));
        Assert.Contains("all our texts", Assert.Single(await RepliesToAsync(Customer)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_RepliesWithBusinessAndSupportContact_AndChangesNothing()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);

        await PostAsync("SM-help", Customer, AlertsNumber, "HELP");

        var reply = Assert.Single(await RepliesToAsync(Customer));
        Assert.Contains("PreferenceCenter Demo", reply.Body, StringComparison.Ordinal);
        Assert.Contains("support@preferencecenter.example", reply.Body, StringComparison.Ordinal);
        Assert.Contains("STOP", reply.Body, StringComparison.Ordinal);
        Assert.Matches(@"/m/[A-Za-z0-9_-]{22}$", reply.Body);
        Assert.True((await Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions).Granted);
    }

    [Fact]
    public async Task Help_RepliesInSpanish_WhenTheCustomerChoseSpanish()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);
        await _app.Services.GetRequiredService<ICustomerDirectory>().SetPreferredLanguageAsync(customer, "es");

        await PostAsync("SM-ayuda", Customer, AlertsNumber, "HELP");

        var reply = Assert.Single(await RepliesToAsync(Customer));
        Assert.StartsWith("PreferenceCenter Demo: Ayuda en support@preferencecenter.example. ", reply.Body, StringComparison.Ordinal);
        Assert.Contains("Pueden aplicarse tarifas de mensajes y datos. Responde STOP para cancelar. Gestionar: http", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_RepliesInSpanish_WhenTheCustomersLatestChangeWasMadeOnASpanishPage()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);
        var spanishPage = new ConsentEvidence(ConsentMethod.Web, $"customer:{customer}", "203.0.113.1", "Test", "es");
        Assert.Equal(ConsentChangeOutcome.Changed, (await Consents.GrantAsync(customer, Purpose.AccountAlerts, 3, spanishPage)).Outcome);

        await PostAsync("SM-basta", Customer, PromotionsNumber, "STOP");

        var reply = Assert.Single(await RepliesToAsync(Customer));
        Assert.Equal("PreferenceCenter Demo: te has dado de baja de los mensajes promocionales y no te enviaremos ninguno. Responde START para volver.", reply.Body);
    }

    [Fact]
    public async Task Help_RepliesInTheDefaultLanguage_WhenNoCustomerHasTheNumber()
    {
        await PostAsync("SM-who", "+447700900778", AlertsNumber, "HELP");

        var reply = Assert.Single(await RepliesToAsync("+447700900778"));
        // The number sends account alerts only, so their frequency is the one said.
        Assert.StartsWith("PreferenceCenter Demo: Help at support@preferencecenter.example. Up to 10 msgs/month. Msg & data rates may apply. Reply STOP to cancel.", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bm90IHRoZSBzaWduYXR1cmU=")]
    public async Task Webhook_Returns403AndRecordsNothing_WhenSignatureIsMissingOrWrong(string? signature)
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);
        var fields = Fields("SM-forged", Customer, PromotionsNumber, "STOP");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/sms/inbound", UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature);
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True((await Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions).Granted);
        await using var db = await OpenAsync();
        Assert.Equal(0, await db.InboundSms.CountAsync());
    }

    [Fact]
    public async Task Webhook_Returns403_WhenASignedParameterWasChangedInTransit()
    {
        var fields = Fields("SM-tamper", Customer, PromotionsNumber, "HELP");
        var signature = TwilioSignature.Compute(Token, "http://localhost/sms/inbound", fields);
        fields["Body"] = "STOPALL";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/sms/inbound", UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", signature);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task LookAlikeStop_RevokesPromotions_WhenTheLettersAreCyrillicOrSpacedOut()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);

        Assert.Equal(HttpStatusCode.OK, await PostAsync("SM-cyrillic", Customer, PromotionsNumber, "S\u0422\u041E\u0420"));

        Assert.False((await Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions).Granted);
        Assert.False(await Gateway.CanSendAsync(Customer, Purpose.Promotions));
        Assert.Single(await RepliesToAsync(Customer));
        Assert.Empty(await _app.Services.GetRequiredService<ReviewDesk>().OpenItemsAsync());
    }

    [Fact]
    public async Task DigitStop_GoesToReviewQueue_WithoutBeingDropped()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);

        Assert.Equal(HttpStatusCode.OK, await PostAsync("SM-digits", Customer, PromotionsNumber, "St0p"));

        var item = Assert.Single(await _app.Services.GetRequiredService<ReviewDesk>().OpenItemsAsync());
        Assert.Equal(customer, item.CustomerId);
        Assert.True((await Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions).Granted);
    }

    [Fact]
    public async Task PleaseStop_GoesToReviewQueue_WithoutChangingConsent()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);

        await PostAsync("SM-please", Customer, PromotionsNumber, "please stop texting me");

        var item = Assert.Single(await _app.Services.GetRequiredService<ReviewDesk>().OpenItemsAsync());
        Assert.Equal((customer, "please stop texting me"), (item.CustomerId, item.Body));
        Assert.True((await Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions).Granted);
        Assert.Empty(await RepliesToAsync(Customer));
    }

    [Fact]
    public async Task Stop_FromUnknownNumber_IsSuppressed_UntilAFreshVerifiedWebOptIn()
    {
        const string stranger = "+447700900777";
        await PostAsync("SM-stranger", stranger, PromotionsNumber, "STOP");
        await using (var db = await OpenAsync())
        {
            Assert.Equal(1, await db.SmsSuppressions.CountAsync(s => s.PhoneE164 == stranger && s.PhoneKey.Length == 64 && s.LiftedAt == null));
        }

        var customer = await CustomersWithConsent.CreateAsync(_app, stranger);

        Assert.True(await Gateway.CanSendAsync(stranger, Purpose.Promotions));
        var grant = (await Consents.GetHistoryAsync(customer)).Single();
        Assert.Equal((ConsentAction.Granted, ConsentMethod.Web), (grant.Action, grant.Method));
    }

    [Fact]
    public async Task ReviewItem_RevokedByAnAgent_WithdrawsEverythingAndSuppressesTheNumber()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, Customer);
        await PostAsync("SM-remove", Customer, PromotionsNumber, "remove me");
        var desk = _app.Services.GetRequiredService<ReviewDesk>();
        var item = Assert.Single(await desk.OpenItemsAsync());
        var agent = new PreferenceCenter.Domain.Staff.StaffMember("agent-1", "agent@example.test", null);

        await Assert.ThrowsAsync<ArgumentException>(() => desk.ResolveAsync(item.Id, revoke: true, " ", agent));
        Assert.True(await desk.ResolveAsync(item.Id, revoke: true, "Asked to be removed", agent));
        Assert.False(await desk.ResolveAsync(item.Id, revoke: false, "again", agent));

        Assert.Empty(await desk.OpenItemsAsync());
        Assert.All(await Consents.GetStatesAsync(customer), s => Assert.False(s.Granted));
        var revocation = (await Consents.GetHistoryAsync(customer))[0];
        Assert.Equal(ConsentMethod.Agent, revocation.Method);
        Assert.Contains("remove me", revocation.Reason, StringComparison.Ordinal);
        Assert.False(await Gateway.CanSendAsync(Customer, Purpose.AccountAlerts));
    }

    private IConsentService Consents => _app.Services.GetRequiredService<IConsentService>();

    private ISmsGateway Gateway => _app.Services.GetRequiredService<ISmsGateway>();

    private Task<PreferenceCenterDbContext> OpenAsync() =>
        _app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();

    private Task<ConsentChangeResult> GrantAsync(Guid customer, Purpose purpose, int textId) =>
        Consents.GrantAsync(customer, purpose, textId, new ConsentEvidence(ConsentMethod.Web, $"customer:{customer}", null, null, null));

    private async Task<List<SmsOutboxMessage>> RepliesToAsync(string e164)
    {
        // Replies are queued with the change and sent by the app's dispatcher a moment later (ADR 30).
        await Poll.UntilAsync(
            async () =>
            {
                await using var queue = await OpenAsync();
                return !await queue.QueuedTexts.AnyAsync(t => t.ToE164 == e164 && t.Status == QueuedTextStatus.Pending);
            },
            "the queued replies are sent");
        await using var db = await OpenAsync();
        return await db.SmsOutbox.Where(m => m.ToE164 == e164 && m.Kind == SmsKind.Confirmation).OrderByDescending(m => m.Id).ToListAsync();
    }

    private static Dictionary<string, string> Fields(string sid, string from, string to, string body) =>
        new() { ["MessageSid"] = sid, ["From"] = from, ["To"] = to, ["Body"] = body, ["AccountSid"] = "ACtest" };

    private async Task<HttpStatusCode> PostAsync(string sid, string from, string to, string body)
    {
        var fields = Fields(sid, from, to, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/sms/inbound", UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(Token, "http://localhost/sms/inbound", fields));
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }
}

public sealed class InboundSmsUrlTests
{
    [Theory]
    [InlineData(null, "http://app.internal:8080/sms/inbound?x=1")]
    [InlineData("https://prefs.example.com/", "https://prefs.example.com/sms/inbound?x=1")]
    public void PublicUrl_IsTheOneTwilioSigned_BehindAProxyOrNot(string? publicBase, string expected)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new Microsoft.AspNetCore.Http.HostString("app.internal:8080");
        http.Request.Path = "/sms/inbound";
        http.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?x=1");

        Assert.Equal(expected, PreferenceCenter.Web.Features.Sms.InboundSmsEndpoints.PublicUrl(http.Request, publicBase));
    }
}
