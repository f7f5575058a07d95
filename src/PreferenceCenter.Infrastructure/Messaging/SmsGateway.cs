using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Infrastructure.Observability;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.Messaging;

public sealed partial class SmsGateway(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    ISmsSender sender,
    PurposeRegistry purposeRegistry,
    PreferenceCenterMetrics metrics,
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
            metrics.SmsRefused(purpose);
            LogRefused(new MaskedPhone(phoneE164), purpose);
            return false;
        }

        await sender.SendAsync(new SmsMessage(phoneE164, body, purposeRegistry.Current.Definition(purpose).TextKind, purposeRegistry.SendingNumberFor(purpose)), cancellationToken);
        metrics.SmsSent(purpose);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Purpose} text to {MaskedPhone}: no current consent or suppressed")]
    private partial void LogRefused(MaskedPhone maskedPhone, Purpose purpose);
}
