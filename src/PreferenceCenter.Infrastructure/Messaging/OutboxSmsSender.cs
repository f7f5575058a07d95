using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>Development sender: "sends" by writing to the SmsOutbox table, read at /dev/sms.</summary>
public sealed partial class OutboxSmsSender(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    TimeProvider clock,
    ILogger<OutboxSmsSender> logger) : ISmsSender
{
    public async Task SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.SmsOutbox.Add(new SmsOutboxMessage
        {
            ToE164 = message.ToE164,
            Body = message.Body,
            Kind = message.Kind,
            CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        LogQueued(message.Kind, new MaskedPhone(message.ToE164));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {Kind} written to the development outbox for {MaskedPhone}")]
    private partial void LogQueued(SmsKind kind, MaskedPhone maskedPhone);
}
