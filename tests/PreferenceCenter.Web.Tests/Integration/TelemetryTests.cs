using System.Text;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>OpenTelemetry's OTLP exporter sends the app's metrics to a collector (a local stub here) only when configured.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task OtlpExporter_PostsTheAppsMetricsAsProtobuf_WhenAnEndpointIsConfigured()
    {
        await using var collector = await WebhookReceiver.StartAsync();

        // Development: the customer below is verified by a texted code, which only the development outbox delivers
        // here (Production requires a real SMS provider, ADR 26); the exporter is the same in every environment.
        await using var app = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?>
        {
            ["Telemetry:OtlpEndpoint"] = collector.Url(string.Empty),
            ["Telemetry:OtlpProtocol"] = "http/protobuf",
            ["Telemetry:MetricExportIntervalMilliseconds"] = "200",
        });
        using var client = app.CreateClient();

        await CustomersWithConsent.CreateAsync(app);
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        // OTLP/HTTP: POST /v1/metrics, application/x-protobuf; instrument names travel as plain UTF-8 strings in it.
        await Poll.UntilAsync(
            () => collector.Received.Any(r => r.Path == "/v1/metrics" && Contains(r.Body, "preferencecenter.consents.granted") && Contains(r.Body, "http.server.request.duration")),
            $"the collector received the consent counter and the request duration (it had: {string.Join(", ", collector.Received.Select(r => r.Path))}; exporter registered: {app.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)) is not null})");
        var metrics = collector.Received.First(r => r.Path == "/v1/metrics");
        Assert.Equal("application/x-protobuf", metrics.ContentType);
        Assert.True(Contains(metrics.Body, "PreferenceCenter"), "the resource names the service");
    }

    [Fact]
    public async Task OtlpExporter_SendsNothing_WhenNoEndpointIsConfigured()
    {
        await using var app = new PreferenceCenterAppFactory("Production");
        using var client = app.CreateClient();
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Null(app.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)));
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
