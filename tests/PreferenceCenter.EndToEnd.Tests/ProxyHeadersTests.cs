using System.Net;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>
/// Behind nginx (TLS ends there) Twilio signs the public https URL; the app, reached over plain http from the proxy on
/// loopback, must take the scheme from X-Forwarded-Proto to check that signature (real Kestrel, real socket).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class ProxyHeadersTests(BrowserFixture fixture)
{
    [Fact]
    public async Task InboundText_SignedForThePublicHttpsUrl_IsAccepted_OnlyWhenTheLoopbackProxySaysHttps()
    {
        using var http = new HttpClient();
        var url = new Uri(new Uri(fixture.App.BaseUrl), "sms/inbound");
        var publicUrl = new UriBuilder(url) { Scheme = "https", Port = url.Port }.Uri.ToString();

        using var direct = await PostAsync(http, url, publicUrl, forwardedProto: null);
        using var proxied = await PostAsync(http, url, publicUrl, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, Uri url, string signedUrl, string? forwardedProto)
    {
        var fields = new Dictionary<string, string> { ["MessageSid"] = "SMproxy" + Guid.NewGuid().ToString("N"), ["From"] = "+447700900888", ["To"] = "+447700900002", ["Body"] = "HELP" };
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute("development-only-auth-token-not-a-secret", signedUrl, fields));
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
            request.Headers.Add("X-Forwarded-For", "203.0.113.50");
        }

        return http.SendAsync(request);
    }
}
