using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Webhooks;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Webhooks;

/// <summary>A delivery whose last attempt failed: still retrying, or dead-lettered.</summary>
public sealed record WebhookFailure(long Sequence, WebhookDeliveryStatus Status, int Attempts, int? StatusCode, string? Error, DateTimeOffset? LastAttemptAt, DateTimeOffset NextAttemptAt);

/// <param name="CaughtUpThrough">Every event up to this sequence has been delivered or dead-lettered (or was not wanted).</param>
/// <param name="Lag">Events behind: the ledger's head minus <paramref name="CaughtUpThrough"/>.</param>
public sealed record WebhookSyncStatus(
    WebhookSubscriber Subscriber,
    DateTimeOffset? LastSuccessAt,
    long? LastDeliveredSequence,
    long CaughtUpThrough,
    long Lag,
    int Pending,
    int DeadLettered,
    IReadOnlyList<WebhookFailure> RecentFailures);

public sealed record WebhookSyncOverview(long Head, IReadOnlyList<WebhookSyncStatus> Subscribers);

/// <summary>What the sync status page shows and does: lag and failures per subscriber, retrying dead letters, replays.</summary>
public sealed class WebhookSync(IDbContextFactory<PreferenceCenterDbContext> dbFactory, WebhookSignal signal, TimeProvider clock)
{
    public const int FailuresShown = 5;
    private const int ReplayPage = 1000;

    public async Task<WebhookSyncOverview> OverviewAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var head = await db.ConsentEvents.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;

        // Events after the fan-out cursor are behind for everyone: they have not been turned into deliveries yet.
        var fannedThrough = Math.Min(head, await db.WebhookFanOut.Select(c => c.Through).SingleAsync(cancellationToken));
        var result = new List<WebhookSyncStatus>();
        foreach (var subscriber in await db.WebhookSubscribers.AsNoTracking().OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken))
        {
            var mine = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriberId == subscriber.Id);
            var pending = mine.Where(d => d.Status == WebhookDeliveryStatus.Pending);
            var firstPending = await pending.MinAsync(d => (long?)d.Sequence, cancellationToken);
            var caughtUp = firstPending is { } p ? Math.Min(p - 1, fannedThrough) : fannedThrough;
            result.Add(new WebhookSyncStatus(
                subscriber,
                await mine.Where(d => d.DeliveredAt != null).OrderByDescending(d => d.DeliveredAt).Select(d => d.DeliveredAt).FirstOrDefaultAsync(cancellationToken),
                await mine.Where(d => d.Status == WebhookDeliveryStatus.Delivered).MaxAsync(d => (long?)d.Sequence, cancellationToken),
                caughtUp,
                head - caughtUp,
                await pending.CountAsync(cancellationToken),
                await mine.CountAsync(d => d.Status == WebhookDeliveryStatus.DeadLettered, cancellationToken),
                await mine.Where(d => d.Status != WebhookDeliveryStatus.Delivered && d.LastError != null)
                    .OrderByDescending(d => d.LastAttemptAt).ThenByDescending(d => d.Sequence).Take(FailuresShown)
                    .Select(d => new WebhookFailure(d.Sequence, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.LastAttemptAt, d.NextAttemptAt))
                    .ToListAsync(cancellationToken)));
        }

        return new WebhookSyncOverview(head, result);
    }

    /// <summary>Events behind per subscriber, the same figure as <see cref="OverviewAsync"/>'s, in three queries.</summary>
    public async Task<IReadOnlyList<(string Subscriber, long Lag)>> LagAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var head = await db.ConsentEvents.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        var fannedThrough = Math.Min(head, await db.WebhookFanOut.Select(c => c.Through).SingleAsync(cancellationToken));
        var firstPending = await db.WebhookDeliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending)
            .GroupBy(d => d.SubscriberId).Select(g => new { g.Key, First = g.Min(d => d.Sequence) })
            .ToDictionaryAsync(g => g.Key, g => g.First, cancellationToken);
        var subscribers = await db.WebhookSubscribers.AsNoTracking().Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken);
        return subscribers.ConvertAll(s => (s.Name, head - (firstPending.TryGetValue(s.Id, out var p) ? Math.Min(p - 1, fannedThrough) : fannedThrough)));
    }

    /// <summary>Queues every dead letter of the subscriber again, with a fresh set of attempts. Returns how many.</summary>
    public async Task<int> RetryDeadLettersAsync(Guid subscriberId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var count = await Requeue(db.WebhookDeliveries.Where(d => d.SubscriberId == subscriberId && d.Status == WebhookDeliveryStatus.DeadLettered), cancellationToken);
        signal.Poke();
        return count;
    }

    /// <summary>
    /// Sends every wanted event after <paramref name="afterSequence"/> to the subscriber again, in order (including
    /// ones it never had, e.g. from before it was registered). Returns how many deliveries were queued.
    /// </summary>
    public async Task<int> ReplayAsync(Guid subscriberId, long afterSequence, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subscriber = await db.WebhookSubscribers.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriberId, cancellationToken)
            ?? throw new InvalidOperationException($"There is no webhook subscriber {subscriberId}.");

        // Page by page in ledger order, each page (its old deliveries queued again, its missing ones added) in one
        // transaction: the dispatcher never sees a later event of a customer pending without the earlier ones, and a
        // replay of a long history never holds the write lock that consent changes wait for.
        var count = 0;
        var cursor = afterSequence;
        while (true)
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var page = await db.ConsentEvents.AsNoTracking().Where(e => e.Sequence > cursor).OrderBy(e => e.Sequence).Take(ReplayPage)
                .Select(e => new { e.Sequence, e.CustomerId, e.Purpose, e.Action }).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var last = page[^1].Sequence;
            var mine = db.WebhookDeliveries.Where(d => d.SubscriberId == subscriberId && d.Sequence > cursor && d.Sequence <= last);
            count += await Requeue(mine, cancellationToken);
            var queued = (await mine.Select(d => d.Sequence).ToListAsync(cancellationToken)).ToHashSet();
            var now = clock.GetUtcNow();
            foreach (var e in page.Where(e => subscriber.Wants(e.Purpose, e.Action) && !queued.Contains(e.Sequence)))
            {
                db.WebhookDeliveries.Add(WebhookDelivery.Queue(subscriberId, e.Sequence, e.CustomerId, now));
                count++;
            }

            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            cursor = last;
        }

        signal.Poke();
        return count;
    }

    /// <summary>
    /// Back to pending with a fresh set of attempts, due now; the last error and delivery time stay for the record. A
    /// lease is dropped too, so the answer to an attempt already in flight is not recorded over the new request.
    /// </summary>
    private Task<int> Requeue(IQueryable<WebhookDelivery> deliveries, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return deliveries.ExecuteUpdateAsync(
            s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending)
                .SetProperty(d => d.Attempts, 0)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.DeadLetteredAt, (DateTimeOffset?)null)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(d => d.LeaseOwner, (string?)null),
            cancellationToken);
    }
}
