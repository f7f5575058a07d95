using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Messaging;

public sealed partial class SmsGateway(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    ISmsSender sender,
    IOptions<SmsOptions> options,
    SmsMetrics metrics,
    PhoneIndex index,
    ILogger<SmsGateway> logger) : ISmsGateway, IAsyncDisposable
{
    // Asked before every text and by the API's check: a granted consent and no open STOP, one prepared statement.
    private readonly SendPermissionReader _permissions = new(dbFactory);

    public Task<bool> CanSendAsync(string phoneE164, Purpose purpose, CancellationToken cancellationToken = default) =>
        _permissions.AllowedAsync(phoneE164, purpose, index.KeyOf(phoneE164), cancellationToken);

    public ValueTask DisposeAsync() => _permissions.DisposeAsync();

    public async Task<bool> SendAsync(string phoneE164, Purpose purpose, string body, CancellationToken cancellationToken = default)
    {
        if (!await CanSendAsync(phoneE164, purpose, cancellationToken))
        {
            metrics.Suppressed(purpose);
            LogRefused(new MaskedPhone(phoneE164), purpose);
            return false;
        }

        var kind = purpose == Purpose.Promotions ? SmsKind.Promotion : SmsKind.AccountAlert;
        await sender.SendAsync(new SmsMessage(phoneE164, body, kind, options.Value.SendingNumberFor(purpose)), cancellationToken);
        metrics.Sent(purpose);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Purpose} text to {MaskedPhone}: no current consent or suppressed")]
    private partial void LogRefused(MaskedPhone maskedPhone, Purpose purpose);
}

/// <summary>Counters for sends and refusals (System.Diagnostics.Metrics, visible to any OpenTelemetry exporter).</summary>
public sealed class SmsMetrics : IDisposable
{
    public const string MeterName = "PreferenceCenter.Sms";
    private readonly Meter _meter;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _suppressed;
    private readonly Counter<long> _verificationRefused;
    private readonly Counter<long> _inbound;

    public SmsMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _sent = _meter.CreateCounter<long>("preferencecenter.sms.sent");
        _suppressed = _meter.CreateCounter<long>("preferencecenter.sms.suppressed");
        _verificationRefused = _meter.CreateCounter<long>("preferencecenter.sms.verification_refused");
        _inbound = _meter.CreateCounter<long>("preferencecenter.sms.inbound");
    }

    public void Sent(Purpose purpose) => _sent.Add(1, new KeyValuePair<string, object?>("purpose", purpose.ToString()));

    public void Suppressed(Purpose purpose) => _suppressed.Add(1, new KeyValuePair<string, object?>("purpose", purpose.ToString()));

    public void VerificationRefused(string reason) => _verificationRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Inbound(string intent) => _inbound.Add(1, new KeyValuePair<string, object?>("intent", intent));

    public void Dispose() => _meter.Dispose();
}
