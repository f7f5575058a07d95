using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using PreferenceCenter.Infrastructure.Observability;

namespace PreferenceCenter.Infrastructure.Webhooks;

/// <summary>
/// <c>preferencecenter.webhooks.lag</c>: events each subscriber is behind the ledger's head (the sync page's figure).
/// A collector may ask every second (dotnet-counters), so the database is asked at most once per
/// <see cref="RefreshInterval"/>; every instance reports the same shared figure.
/// </summary>
public sealed partial class WebhookLagGauge
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly WebhookSync _sync;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebhookLagGauge> _logger;
    private readonly Lock _lock = new();
    private IReadOnlyList<Measurement<long>> _last = [];
    private DateTimeOffset _lastAt = DateTimeOffset.MinValue;

    public WebhookLagGauge(PreferenceCenterMetrics metrics, WebhookSync sync, TimeProvider clock, ILogger<WebhookLagGauge> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _sync = sync;
        _clock = clock;
        _logger = logger;
        metrics.Meter.CreateObservableGauge("preferencecenter.webhooks.lag", Observe, "{event}", "Consent events a webhook subscriber is behind the ledger's head");
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            if (now - _lastAt < RefreshInterval)
            {
                return _last;
            }

            try
            {
                // Collection callbacks are synchronous; the three queries are small (indexed MIN/MAX, one GROUP BY).
                var lags = _sync.LagAsync().GetAwaiter().GetResult();
                _last = [.. lags.Select(l => new Measurement<long>(l.Lag, new KeyValuePair<string, object?>("subscriber", l.Subscriber)))];
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or ObjectDisposedException)
            {
                // A locked or closing database: report nothing this time rather than break the exporter.
                LogFailed(ex);
                _last = [];
            }

            _lastAt = now;
            return _last;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the webhook lag for metrics")]
    private partial void LogFailed(Exception exception);
}
