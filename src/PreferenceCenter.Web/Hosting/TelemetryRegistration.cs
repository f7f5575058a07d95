using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components.Server.Circuits;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PreferenceCenter.Infrastructure.Observability;

namespace PreferenceCenter.Web.Hosting;

/// <summary>Where telemetry goes. Nothing leaves the process unless an OTLP endpoint is configured.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The collector, e.g. <c>http://otel-collector:4318</c>; the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> works too.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    [RegularExpression("^(grpc|http/protobuf)$", ErrorMessage = "Telemetry:OtlpProtocol must be 'grpc' or 'http/protobuf'.")]
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>How often metrics are pushed.</summary>
    [Range(100, 3_600_000)]
    public int MetricExportIntervalMilliseconds { get; set; } = 60_000;
}

internal static class TelemetryRegistration
{
    /// <summary>The meters exported next to the app's own: request, Kestrel, Blazor circuit and runtime metrics.</summary>
    internal static readonly string[] Meters =
    [
        PreferenceCenterMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Components",
        "Microsoft.AspNetCore.Components.Server.Circuits",
        "System.Runtime",
    ];

    public static WebApplicationBuilder AddPreferenceCenterTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        // Counts open circuits on this instance (one handler per circuit).
        services.AddScoped<CircuitHandler, CircuitMetricsHandler>();

        // The instruments always exist (dotnet-counters and any MeterListener see them); the SDK and its exporter
        // are added only when there is somewhere to send to.
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var standardEndpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (options.OtlpEndpoint is null && string.IsNullOrWhiteSpace(standardEndpoint))
        {
            return builder;
        }

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? "PreferenceCenter", serviceInstanceId: $"{Environment.MachineName}/{Environment.ProcessId}"))
            .WithMetrics(m => m.AddMeter(Meters).AddAspNetCoreInstrumentation())
            .WithTracing(t => t.AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)).AddSource("System.Net.Http"))
            .WithLogging();
        services.Configure<MetricReaderOptions>(r => r.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.MetricExportIntervalMilliseconds);
        if (options.OtlpEndpoint is { } endpoint)
        {
            var protocol = options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            otel.UseOtlpExporter(protocol, endpoint);
        }
        else
        {
            // The OTEL_EXPORTER_OTLP_* variables (endpoint, protocol, headers) as the specification describes them.
            otel.UseOtlpExporter();
        }

        return builder;
    }
}

/// <summary>Keeps <c>preferencecenter.circuits.active</c> in step with the circuits this instance holds.</summary>
internal sealed class CircuitMetricsHandler(PreferenceCenterMetrics metrics) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed();
        return Task.CompletedTask;
    }
}
