using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Webhooks;
using PreferenceCenter.Infrastructure.Observability;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.SignIn;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>
/// Sends the queued texts (ADR 0030): claims due ones with a lease, so several instances on one database never send
/// one twice at once, sends each through <see cref="ISmsSender"/> (purpose texts through the consent-checking
/// <see cref="ISmsGateway"/>), and reschedules failures with backoff. Delivery is at least once: a crash between the
/// provider's answer and the record sends that text again when the lease runs out.
/// </summary>
public sealed partial class TextDispatcher(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    ISmsSender sender,
    ISmsGateway gateway,
    SignInLinks links,
    SmsTexts texts,
    IOptions<SmsOptions> smsOptions,
    IOptions<TextQueueOptions> options,
    PreferenceCenterMetrics metrics,
    TimeProvider clock,
    ILogger<TextDispatcher> logger)
{
    private const int ConfirmationBatch = 500;

    /// <summary>This process's name on the leases it takes.</summary>
    internal string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>One round: queues the confirmations grants promised, then claims and sends what is due. True when there was work (look again at once).</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var moved = await QueueConfirmationsAsync(cancellationToken);
        var claimed = await ClaimAsync(options.Value.BatchSize, cancellationToken);

        // One by one, in queue order: two replies to one number (STOP, then START) arrive in the order they were promised.
        foreach (var text in claimed)
        {
            await SendAsync(text, cancellationToken);
        }

        return moved + claimed.Count > 0;
    }

    /// <summary>
    /// Moves the confirmations grants promised (<see cref="PendingConfirmation"/>) into the queue, in one transaction
    /// under the write lock: a promise is either still pending or queued, never both or neither. The queue's unique
    /// grant sequence refuses a second copy even from a claimer outside the lock.
    /// </summary>
    internal async Task<int> QueueConfirmationsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.PendingConfirmations.AnyAsync(cancellationToken))
        {
            return 0;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var pending = await db.PendingConfirmations.OrderBy(c => c.GrantSequence).Take(ConfirmationBatch).ToListAsync(cancellationToken);
        var sequences = pending.Select(c => c.GrantSequence).ToList();
        var queued = await db.QueuedTexts.Where(t => t.GrantSequence != null && sequences.Contains(t.GrantSequence.Value)).Select(t => t.GrantSequence!.Value).ToListAsync(cancellationToken);
        db.QueuedTexts.AddRange(pending.Where(c => !queued.Contains(c.GrantSequence)).Select(c => c.ToQueuedText()));
        db.PendingConfirmations.RemoveRange(pending);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return pending.Count;
    }

    internal async Task<IReadOnlyList<QueuedText>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await Due(db, now).AnyAsync(cancellationToken))
        {
            return [];
        }

        // Under the write lock (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock); the lease condition is repeated
        // in the UPDATE, so even a claimer outside the lock cannot take a row another one holds.
        var until = now + options.Value.LeaseDuration;

        // Each claim has a name of its own: two rounds of one dispatcher at the same instant (a wake-up signal beside the
        // loop, or a frozen test clock) must not both read the other's rows back as theirs.
        var claim = $"{Owner}/{Guid.NewGuid():N}";
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var ids = await Due(db, now).OrderBy(t => t.Id).Take(max).Select(t => t.Id).ToListAsync(cancellationToken);
            await db.QueuedTexts.Where(t => ids.Contains(t.Id) && t.Status == QueuedTextStatus.Pending && (t.LeaseUntil == null || t.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, claim).SetProperty(t => t.LeaseUntil, until), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        return await db.QueuedTexts.AsNoTracking().Where(t => t.LeaseOwner == claim).OrderBy(t => t.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Pending, due, not leased, and the earliest pending text to its number: a later one never overtakes one being retried.</summary>
    private static IQueryable<QueuedText> Due(PreferenceCenterDbContext db, DateTimeOffset now) =>
        db.QueuedTexts.Where(t => t.Status == QueuedTextStatus.Pending && t.NextAttemptAt <= now && (t.LeaseUntil == null || t.LeaseUntil < now)
            && !db.QueuedTexts.Any(e => e.ToE164 == t.ToE164 && e.Status == QueuedTextStatus.Pending && e.Id < t.Id));

    private async Task SendAsync(QueuedText text, CancellationToken cancellationToken)
    {
        var masked = new MaskedPhone(text.ToE164);
        bool sent;
        try
        {
            if (text.Purpose is { } purpose)
            {
                // Consent and suppression as they are now: a customer who revoked since the grant gets nothing.
                // Asked before the manage link is made, so a refused text leaves no link behind.
                if (await gateway.CanSendAsync(text.ToE164, purpose, cancellationToken))
                {
                    sent = await gateway.SendAsync(text.ToE164, purpose, text.Body ?? await ConfirmationAsync(text, cancellationToken), cancellationToken);
                }
                else
                {
                    metrics.SmsRefused(purpose);
                    sent = false;
                }
            }
            else
            {
                await sender.SendAsync(new SmsMessage(text.ToE164, text.Body ?? string.Empty, text.Kind, text.FromE164), cancellationToken);
                sent = true;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: no attempt is counted; the lease runs out and the text is sent again.
            throw;
        }
        catch (Exception ex)
        {
            // The type only: a provider's message can echo the number or the body.
            await RecordAsync(text, t => t.AttemptFailed(clock.GetUtcNow(), ex.GetType().Name, options.Value.MaxAttempts, Backoff(t.Attempts + 1)));
            return;
        }

        await RecordAsync(text, t => (sent ? (Action<DateTimeOffset>)t.Sent : t.Refused)(clock.GetUtcNow()));
        if (sent)
        {
            LogSent(text.Id, masked, text.Kind);
        }
        else
        {
            LogRefused(text.Id, masked);
        }
    }

    /// <summary>"You're subscribed", in the language of the consent text agreed to, with a manage link made now.</summary>
    private async Task<string> ConfirmationAsync(QueuedText text, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var consentText = await db.ConsentTexts.AsNoTracking().Where(t => t.Id == text.ConsentTextId).Select(t => new { t.Language, t.Purpose }).SingleAsync(cancellationToken);
        var link = await links.CreateTextLinkAsync(text.ToE164, cancellationToken);
        return texts.Subscribed(consentText.Language, smsOptions.Value.BusinessName, consentText.Purpose, link);
    }

    private TimeSpan Backoff(int failedAttempts) =>
        WebhookBackoff.Delay(failedAttempts, options.Value.InitialRetryDelay, options.Value.MaxRetryDelay, Random.Shared.NextDouble());

    /// <summary>Recorded only by the lease holder, and even while shutting down: the provider has already answered.</summary>
    private async Task RecordAsync(QueuedText claimed, Action<QueuedText> record)
    {
        var id = claimed.Id;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var text = await db.QueuedTexts.FirstOrDefaultAsync(t => t.Id == id, CancellationToken.None);
        if (text is null || text.LeaseOwner != claimed.LeaseOwner)
        {
            // Erased meanwhile, or the lease ran out and another dispatcher took it.
            LogLeaseLost(id);
            return;
        }

        record(text);
        await db.SaveChangesAsync(CancellationToken.None);
        switch (text.Status)
        {
            case QueuedTextStatus.Failed:
                metrics.QueuedTextFailed();
                LogGaveUp(id, new MaskedPhone(text.ToE164), text.Attempts, text.LastError);
                break;
            case QueuedTextStatus.Pending:
                LogRetry(id, new MaskedPhone(text.ToE164), text.Attempts, text.LastError, text.NextAttemptAt);
                break;
            default:
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued text {Id} ({Kind}) sent to {MaskedPhone}")]
    private partial void LogSent(long id, MaskedPhone maskedPhone, SmsKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued text {Id} to {MaskedPhone} not sent: no current consent or suppressed")]
    private partial void LogRefused(long id, MaskedPhone maskedPhone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued text {Id} to {MaskedPhone} failed (attempt {Attempt}, {Error}); next attempt at {NextAttemptAt:O}")]
    private partial void LogRetry(long id, MaskedPhone maskedPhone, int attempt, string? error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queued text {Id} to {MaskedPhone} given up after {Attempt} attempts (last: {Error})")]
    private partial void LogGaveUp(long id, MaskedPhone maskedPhone, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued text {Id}: lease lost or erased before the result was recorded")]
    private partial void LogLeaseLost(long id);
}
