using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>Hostile input answers 4xx with a clear ProblemDetails (never a 500, never HTML under /api and /sms) and saves nothing.</summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private const string Token = "development-only-auth-token-not-a-secret";
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    private readonly PreferenceCenterAppFactory _app = new("Development", new Dictionary<string, string?> { ["Api:ImportMaxBytes"] = "4096" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task InboundSms_Answers400ProblemDetails_AndStoresNothing_WhenTheBodyHoldsANul()
    {
        using var client = _app.CreateClient();

        using var response = await PostInboundAsync(client, Fields("SM-nul-1", "+447700900123", "+447700900002", "STOP\0"));

        var body = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("invalid characters", body, StringComparison.Ordinal);
        await using var db = await OpenAsync();
        Assert.False(await db.InboundSms.AnyAsync(m => m.MessageSid == "SM-nul-1"));
    }

    [Fact]
    public async Task InboundSms_HonoursTheKeyword_AndStoresNoControlCharacter_WhenTheBodyHoldsOne()
    {
        using var client = _app.CreateClient();

        using var response = await PostInboundAsync(client, Fields("SM-ctl-body", "+447700900123", "+447700900002", "STOP\u0001\u001B"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        await using var db = await OpenAsync();
        var stored = await db.InboundSms.SingleAsync(m => m.MessageSid == "SM-ctl-body");
        Assert.Equal("STOP", stored.Body);
    }

    [Theory]
    [InlineData("MessageSid")]
    [InlineData("From")]
    [InlineData("To")]
    public async Task InboundSms_Answers400ProblemDetails_WhenAnIdentifyingFieldHoldsAControlCharacter(string field)
    {
        using var client = _app.CreateClient();
        var fields = Fields("SM-ctl-" + field, "+447700900124", "+447700900002", "STOP");
        fields[field] += "\u0001";

        using var response = await PostInboundAsync(client, fields);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        await using var db = await OpenAsync();
        Assert.False(await db.InboundSms.AnyAsync(m => m.MessageSid.StartsWith("SM-ctl-" + field)));
    }

    [Fact]
    public async Task InboundSms_Answers413ProblemDetails_WhenAFormValueIsOverTheFormReadersLimit()
    {
        using var client = _app.CreateClient();
        var fields = Fields("SM-huge-1", "+447700900125", "+447700900002", new string('a', (4 * 1024 * 1024) + 1));

        using var response = await PostInboundAsync(client, fields);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await using var db = await OpenAsync();
        Assert.False(await db.InboundSms.AnyAsync(m => m.MessageSid == "SM-huge-1"));
    }

    [Fact]
    public async Task InboundSms_AnswersProblemDetailsNeverHtml_WhenTheMethodIsWrong()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync(new Uri("/sms/inbound", UriKind.Relative));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DevSmsSimulate_Answers400_WhenTheAntiforgeryTokenIsMissing()
    {
        using var client = _app.CreateClient(NoRedirects);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["From"] = "+447700900126", ["To"] = "+447700900002", ["Body"] = "STOP" });

        using var response = await client.PostAsync(new Uri("/dev/sms/simulate", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = await OpenAsync();
        Assert.False(await db.InboundSms.AnyAsync());
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\u007F/evil.example")]
    [InlineData("/\u3000/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/préférences")]
    public async Task LanguageSwitch_RedirectsHome_WhenTheReturnPathHoldsAControlSpaceOrNonAsciiCharacter(string redirectUri)
    {
        using var client = _app.CreateClient(NoRedirects);

        using var response = await client.GetAsync(new Uri($"/culture/set?culture=es&redirectUri={Uri.EscapeDataString(redirectUri)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=99999999999999")]
    [InlineData("limit=0")]
    [InlineData("after=-1")]
    [InlineData("after=abc&limit=5")]
    public async Task Changes_Answers400ProblemDetails_WhenLimitOrCursorIsNotANumberInRange(string query)
    {
        using var client = await ApiClientAsync(ApiScopes.ConsentsRead);

        using var response = await client.GetAsync(new Uri("/api/v1/changes?" + query, UriKind.Relative));

        var body = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("'limit' is a whole number from 1 to 1000", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("text/xml")]
    public async Task Import_Answers415ProblemDetails_WhenTheContentTypeIsNotJson(string contentType)
    {
        using var client = await ApiClientAsync(ApiScopes.Import);
        using var content = new StringContent("<rows/>", Encoding.UTF8, contentType);

        using var response = await client.PostAsync(new Uri("/api/v1/import", UriKind.Relative), content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Import_Answers413ProblemDetails_AndSavesNothing_WhenTheBodyIsOverTheLimit(bool withContentLength)
    {
        using var client = await ApiClientAsync(ApiScopes.Import);
        var row = "{\"phone\":\"+447700900127\",\"purpose\":\"Promotions\",\"action\":\"Granted\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"consentTextVersion\":1,\"language\":\"en\",\"source\":\"crm\"}";
        var json = "[" + string.Join(",", Enumerable.Repeat(row, 40)) + "]";
        HttpContent content = withContentLength
            ? new StringContent(json, Encoding.UTF8, "application/json")
            : new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using (content)
        {
            using var response = await client.PostAsync(new Uri("/api/v1/import", UriKind.Relative), content);

            var body = await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.Contains("at most 4096 bytes", body, StringComparison.Ordinal);
        }

        await using var db = await OpenAsync();
        Assert.False(await db.ConsentEvents.AnyAsync());
    }

    [Theory]
    [InlineData("GET", "/api/v1/no-such-thing")]
    [InlineData("GET", "/api/v1/customers/not-a-guid/consents")]
    [InlineData("DELETE", "/api/v1/changes")]
    [InlineData("GET", "/api/v1/consents/check?phone=%00&purpose=%00")]
    public async Task Api_AnswersProblemDetailsNeverHtml_WhenTheRouteOrMethodIsWrong(string method, string path)
    {
        using var client = await ApiClientAsync(ApiScopes.ConsentsRead);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private async Task<HttpClient> ApiClientAsync(string scope)
    {
        var created = await _app.Services.GetRequiredService<IntegrationKeys>().CreateAsync("Hostile " + scope, [scope]);
        return ApiClients.For(_app, created.Key);
    }

    private Task<PreferenceCenterDbContext> OpenAsync() =>
        _app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();

    private static Dictionary<string, string> Fields(string sid, string from, string to, string body) =>
        new() { ["MessageSid"] = sid, ["From"] = from, ["To"] = to, ["Body"] = body, ["AccountSid"] = "ACtest" };

    private static async Task<HttpResponseMessage> PostInboundAsync(HttpClient client, Dictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/sms/inbound", UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(Token, "http://localhost/sms/inbound", fields));
        return await client.SendAsync(request);
    }
}
