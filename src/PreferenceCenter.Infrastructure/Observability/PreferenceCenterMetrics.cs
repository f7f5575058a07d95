using System.Diagnostics;
using System.Diagnostics.Metrics;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Verification;

namespace PreferenceCenter.Infrastructure.Observability;

/// <summary>
/// The app's own instruments, on one <see cref="Meter"/> named <see cref="MeterName"/> (ADR 0020): watch them live with
/// <c>dotnet-counters monitor -n PreferenceCenter.Web --counters PreferenceCenter</c>, or export them with OpenTelemetry.
/// Tags are small closed sets (purpose, method family, outcome), never a person, a number or a site id.
/// </summary>
public sealed class PreferenceCenterMetrics : IDisposable
{
    public const string MeterName = "PreferenceCenter";

    private readonly Meter _meter;
    private readonly Counter<long> _granted;
    private readonly Counter<long> _revoked;
    private readonly Counter<long> _codesSent;
    private readonly Counter<long> _codesRefused;
    private readonly Counter<long> _codesVerified;
    private readonly Counter<long> _codesFailed;
    private readonly Counter<long> _codesLocked;
    private readonly Counter<long> _smsSent;
    private readonly Counter<long> _smsRefused;
    private readonly Counter<long> _smsInbound;
    private readonly Counter<long> _queuedTextsFailed;
    private readonly UpDownCounter<long> _circuits;

    public PreferenceCenterMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _granted = _meter.CreateCounter<long>("preferencecenter.consents.granted", "{event}", "Consent grants appended to the ledger");
        _revoked = _meter.CreateCounter<long>("preferencecenter.consents.revoked", "{event}", "Consent revocations appended to the ledger");
        _codesSent = _meter.CreateCounter<long>("preferencecenter.verification.codes.sent", "{code}", "Verification codes texted");
        _codesRefused = _meter.CreateCounter<long>("preferencecenter.verification.codes.refused", "{code}", "Verification code requests refused (cooldown, caps, country)");
        _codesVerified = _meter.CreateCounter<long>("preferencecenter.verification.codes.verified", "{code}", "Verification codes entered correctly");
        _codesFailed = _meter.CreateCounter<long>("preferencecenter.verification.codes.failed", "{attempt}", "Wrong verification codes entered");
        _codesLocked = _meter.CreateCounter<long>("preferencecenter.verification.codes.locked", "{code}", "Verification codes locked after too many wrong attempts");
        _smsSent = _meter.CreateCounter<long>("preferencecenter.sms.sent", "{message}", "Purpose texts handed to the SMS provider");
        _smsRefused = _meter.CreateCounter<long>("preferencecenter.sms.refused", "{message}", "Purpose texts refused: no current consent or an open STOP");
        _smsInbound = _meter.CreateCounter<long>("preferencecenter.sms.inbound", "{message}", "Inbound texts handled, by intent");
        _queuedTextsFailed = _meter.CreateCounter<long>("preferencecenter.sms.queue.failed", "{message}", "Queued texts given up after every attempt failed");
        _circuits = _meter.CreateUpDownCounter<long>("preferencecenter.circuits.active", "{circuit}", "Blazor Server circuits open on this instance");
    }

    /// <summary>The meter, for observable instruments that live elsewhere (the webhook lag).</summary>
    public Meter Meter => _meter;

    /// <summary>Ledger events whose transaction has committed.</summary>
    public void ConsentsRecorded(IEnumerable<ConsentEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            ConsentRecorded(e.Purpose, e.Action, e.Method);
        }
    }

    /// <summary>One committed ledger event.</summary>
    public void ConsentRecorded(Purpose purpose, ConsentAction action, string method)
    {
        var tags = new TagList { { "purpose", purpose.ToString() }, { "method", MethodFamily(method) } };
        (action == ConsentAction.Granted ? _granted : _revoked).Add(1, tags);
    }

    public void CodeSent() => _codesSent.Add(1);

    public void CodeRefused(SendRefusal reason) => _codesRefused.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));

    /// <summary>The outcome of one code entry that changed something (a right code, a wrong one, the one that locks it).</summary>
    public void CodeChecked(VerifyOutcome outcome)
    {
        switch (outcome)
        {
            case VerifyOutcome.Verified:
                _codesVerified.Add(1);
                break;
            case VerifyOutcome.WrongCode:
                _codesFailed.Add(1);
                break;
            case VerifyOutcome.TooManyAttempts:
                // The attempt that locks the code was wrong too.
                _codesFailed.Add(1);
                _codesLocked.Add(1);
                break;
            default:
                break;
        }
    }

    public void SmsSent(Purpose purpose) => _smsSent.Add(1, new KeyValuePair<string, object?>("purpose", purpose.ToString()));

    public void SmsRefused(Purpose purpose) => _smsRefused.Add(1, new KeyValuePair<string, object?>("purpose", purpose.ToString()));

    public void SmsInbound(string intent) => _smsInbound.Add(1, new KeyValuePair<string, object?>("intent", intent));

    public void QueuedTextFailed() => _queuedTextsFailed.Add(1);

    public void CircuitOpened() => _circuits.Add(1);

    public void CircuitClosed() => _circuits.Add(-1);

    public void Dispose() => _meter.Dispose();

    /// <summary>"embedded:&lt;site&gt;" counts as "embedded": one series per channel, not per registered site.</summary>
    public static string MethodFamily(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var colon = method.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? method : method[..colon];
    }
}
