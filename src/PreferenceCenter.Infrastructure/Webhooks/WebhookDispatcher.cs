using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Webhooks;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Webhooks;

/// <summary>The request body for one consent event (UTF-8 JSON); the web app shapes it like the API's change feed.</summary>
public interface IWebhookPayloadWriter
{
    byte[] Write(ConsentEvent consentEvent);
}

/// <summary>
/// Turns ledger events into deliveries (one per matching subscriber) and sends the due ones, signed, in per-customer
/// order. Safe to run in several processes at once: deliveries are claimed with a lease (ADR 0011).
/// </summary>
public sealed partial class WebhookDispatcher(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    WebhookSubscribers subscribers,
    IWebhookPayloadWriter payloads,
    IHttpClientFactory httpClients,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger)
{
    public const string HttpClientName = "webhooks";
    private const int FanOutBatch = 500;

    internal sealed record Claim(long DeliveryId, WebhookSubscriber Subscriber, ConsentEvent Event);

    /// <summary>This process's name on the leases it takes.</summary>
    internal string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>One round: fan out new events, then send what is due. True when there was work (look again at once).</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var fannedOut = await FanOutAsync(cancellationToken);
        var sent = await DeliverDueAsync(cancellationToken);
        return fannedOut + sent > 0;
    }

    /// <summary>Turns the events after the fan-out cursor into one delivery per subscriber that wants each; returns how many events it took.</summary>
    public async Task<int> FanOutAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var through = await db.WebhookFanOut.Select(c => c.Through).SingleAsync(cancellationToken);
        if (!await db.ConsentEvents.AnyAsync(e => e.Sequence > through, cancellationToken))
        {
            return 0;
        }

        // Under the write lock: no append is half-done, so every event up to the head is committed and in order, and two
        // instances cannot fan out the same events.
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var cursor = await db.WebhookFanOut.SingleAsync(cancellationToken);
        var entries = await db.ConsentEvents.AsNoTracking().Where(e => e.Sequence > cursor.Through).OrderBy(e => e.Sequence).Take(FanOutBatch)
            .Select(e => new { e.Sequence, e.CustomerId, e.Purpose, e.Action }).ToListAsync(cancellationToken);
        if (entries.Count == 0)
        {
            return 0;
        }

        var all = await db.WebhookSubscribers.AsNoTracking().ToListAsync(cancellationToken);
        long first = entries[0].Sequence, last = entries[^1].Sequence;

        // A replay may already have queued some of these events.
        var queued = (await db.WebhookDeliveries.Where(d => d.Sequence >= first && d.Sequence <= last).Select(d => new { d.SubscriberId, d.Sequence }).ToListAsync(cancellationToken))
            .Select(d => (d.SubscriberId, d.Sequence)).ToHashSet();
        var now = clock.GetUtcNow();
        foreach (var entry in entries)
        {
            foreach (var subscriber in all.Where(s => s.Wants(entry.Purpose, entry.Action) && !queued.Contains((s.Id, entry.Sequence))))
            {
                db.WebhookDeliveries.Add(WebhookDelivery.Queue(subscriber.Id, entry.Sequence, entry.CustomerId, now));
            }
        }

        cursor.Through = last;
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return entries.Count;
    }

    internal async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(options.Value.BatchSize, cancellationToken);
        if (claimed.Count > 0)
        {
            // A batch never holds two deliveries of one customer to one subscriber, so sending them together keeps order.
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = claimed.Count, CancellationToken = cancellationToken }, DeliverAsync);
        }

        return claimed.Count;
    }

    /// <summary>Takes a lease on up to <paramref name="max"/> due deliveries that no other dispatcher holds.</summary>
    internal async Task<IReadOnlyList<Claim>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await Due(db, now).AnyAsync(cancellationToken))
        {
            return [];
        }

        // Chosen again under the write lock (BEGIN IMMEDIATE), so no two dispatchers lease the same row.
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await Due(db, now).OrderBy(d => d.Sequence).Take(max).Select(d => new { d.Id, d.SubscriberId, d.Sequence }).ToListAsync(cancellationToken);
        var ids = due.Select(d => d.Id).ToList();
        var until = now + options.Value.LeaseDuration;
        await db.WebhookDeliveries.Where(d => ids.Contains(d.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, until).SetProperty(d => d.LeaseOwner, Owner), cancellationToken);
        await tx.CommitAsync(cancellationToken);

        var sequences = due.Select(d => d.Sequence).Distinct().ToList();
        var events = await db.ConsentEvents.AsNoTracking().Where(e => sequences.Contains(e.Sequence)).ToDictionaryAsync(e => e.Sequence, cancellationToken);
        var subscriberIds = due.Select(d => d.SubscriberId).Distinct().ToList();
        var owners = await db.WebhookSubscribers.AsNoTracking().Where(s => subscriberIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        return due.Select(d => new Claim(d.Id, owners[d.SubscriberId], events[d.Sequence])).ToList();
    }

    /// <summary>
    /// Pending, due, not leased, of an active subscriber, and the earliest pending one of its customer for that
    /// subscriber: a later change never overtakes an earlier one that is still being retried.
    /// </summary>
    private static IQueryable<WebhookDelivery> Due(PreferenceCenterDbContext db, DateTimeOffset now) =>
        db.WebhookDeliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now)
            && db.WebhookSubscribers.Any(s => s.Id == d.SubscriberId && s.Active)
            && !db.WebhookDeliveries.Any(e => e.SubscriberId == d.SubscriberId && e.CustomerId == d.CustomerId && e.Status == WebhookDeliveryStatus.Pending && e.Sequence < d.Sequence));

    private async ValueTask DeliverAsync(Claim claim, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var body = payloads.Write(claim.Event);
        var messageId = claim.Event.Id.ToString();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        string signature;
        try
        {
            signature = WebhookSignature.Sign(subscribers.SecretOf(claim.Subscriber), messageId, timestamp, body);
        }
        catch (CryptographicException)
        {
            // Nothing unsigned ever leaves; the attempt fails visibly on the sync status page instead.
            await RecordAsync(claim, null, WebhookFailures.SecretUnreadable, CancellationToken.None);
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, claim.Subscriber.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("webhook-id", messageId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", signature);

        using var timeout = new CancellationTokenSource(o.RequestTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        int? status = null;
        string? error;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : WebhookFailures.Http(status.Value);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = WebhookFailures.TimedOut;
        }
        catch (HttpRequestException ex)
        {
            // A category only: the exception's text can echo what an internal service said.
            error = WebhookFailures.Of(ex);
            if (error == WebhookFailures.Blocked)
            {
                LogBlocked(claim.Subscriber.Id, request.RequestUri?.Host);
            }
        }

        // Shutting down mid-request threw above and counts as no attempt (the lease runs out and it is sent again);
        // an answer that did arrive is recorded even while shutting down.
        await RecordAsync(claim, status, error, CancellationToken.None);
    }

    private async Task RecordAsync(Claim claim, int? status, string? error, CancellationToken cancellationToken)
    {
        var o = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == claim.DeliveryId, cancellationToken);
        if (delivery is null || delivery.LeaseOwner != Owner)
        {
            LogLeaseLost(claim.DeliveryId);
            return;
        }

        var now = clock.GetUtcNow();
        if (error is null)
        {
            delivery.Succeeded(now, status!.Value);
        }
        else
        {
            delivery.Failed(now, status, error, o.MaxAttempts, WebhookBackoff.Delay(delivery.Attempts + 1, o.InitialRetryDelay, o.MaxRetryDelay, Random.Shared.NextDouble()));
        }

        await db.SaveChangesAsync(cancellationToken);
        switch (delivery.Status)
        {
            case WebhookDeliveryStatus.Delivered:
                LogDelivered(claim.Event.Sequence, claim.Subscriber.Id, delivery.Attempts);
                break;
            case WebhookDeliveryStatus.DeadLettered:
                LogDeadLettered(claim.Event.Sequence, claim.Subscriber.Id, delivery.Attempts, status);
                break;
            default:
                LogFailed(claim.Event.Sequence, claim.Subscriber.Id, delivery.Attempts, status, delivery.NextAttemptAt);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook for event {Sequence} delivered to subscriber {SubscriberId} (attempt {Attempt})")]
    private partial void LogDelivered(long sequence, Guid subscriberId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for event {Sequence} to subscriber {SubscriberId} failed (attempt {Attempt}, status {StatusCode}); next attempt at {NextAttemptAt:O}")]
    private partial void LogFailed(long sequence, Guid subscriberId, int attempt, int? statusCode, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook for event {Sequence} to subscriber {SubscriberId} dead-lettered after {Attempt} attempts (last status {StatusCode})")]
    private partial void LogDeadLettered(long sequence, Guid subscriberId, int attempt, int? statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook to subscriber {SubscriberId} refused: {Host} resolves only to addresses that are not public (Webhooks:AllowPrivateNetworks is off)")]
    private partial void LogBlocked(Guid subscriberId, string? host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId}: lease lost before the result was recorded; it may be sent again")]
    private partial void LogLeaseLost(long deliveryId);
}
