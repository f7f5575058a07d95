using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Ledger;

public sealed record LedgerReport(long Events, bool Intact, string Head, long? BrokenAt, string? Reason)
{
    public string Summary => Intact
        ? $"{Events} events, chain intact, head {Head}"
        : $"Ledger broken at sequence {BrokenAt}: {Reason} ({Events} events read)";
}

/// <summary>Re-computes the whole chain from the stored fields, in sequence order, streaming.</summary>
public static class LedgerVerifier
{
    // Events are read in batches; a batch's digests and hashes are computed on a pool thread while the next batch is
    // read, so reading and hashing overlap. The checks are still applied one event at a time, in sequence order.
    private const int BatchSize = 1_024;

    /// <param name="db">The database to read.</param>
    /// <param name="checkpointKey">The key checkpoints were signed with; null skips checkpoint checks.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<LedgerReport> VerifyAsync(PreferenceCenterDbContext db, byte[]? checkpointKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var checkpoints = checkpointKey is null ? [] : await db.LedgerCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        if (checkpoints.FirstOrDefault(c => !c.HasValidSignature(checkpointKey!)) is { } forged)
        {
            return new LedgerReport(0, false, LedgerEncoding.Genesis, forged.Sequence, "checkpoint signature invalid");
        }

        var signedHeads = checkpoints.GroupBy(c => c.Sequence).ToDictionary(g => g.Key, g => g.Select(c => c.Hash).ToList());
        var keys = await db.CustomerLedgerKeys.AsNoTracking().ToDictionaryAsync(k => k.CustomerId, k => k.Key, cancellationToken);
        var chain = new ChainWalk(signedHeads);
        var batch = new List<ConsentEvent>(BatchSize);
        (List<ConsentEvent> Events, Task<EventCheck[]> Checks)? inFlight = null;
        await using var rows = db.ConsentEvents.AsNoTracking().OrderBy(x => x.Sequence).AsAsyncEnumerable().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await rows.MoveNextAsync();
                }
                catch (Exception)
                {
                    // A row that cannot be read: a break before it is still the answer, as when events were read one by one.
                    if (await WalkAsync(chain, inFlight, batch, keys) is { } brokenBefore)
                    {
                        return brokenBefore;
                    }

                    inFlight = null;
                    throw;
                }

                if (!more)
                {
                    break;
                }

                batch.Add(rows.Current);
                if (batch.Count < BatchSize)
                {
                    continue;
                }

                if (inFlight is { } previous && chain.Walk(previous.Events, await previous.Checks) is { } broken)
                {
                    return broken;
                }

                var full = batch;
                inFlight = (full, Task.Run(() => Check(full, keys), cancellationToken));
                batch = new List<ConsentEvent>(BatchSize);
            }

            if (await WalkAsync(chain, inFlight, batch, keys) is { } brokenAtEnd)
            {
                return brokenAtEnd;
            }

            inFlight = null;
        }
        finally
        {
            // Leaving early (a break, an error, cancellation) still waits for the batch being hashed.
            if (inFlight is { } abandoned)
            {
                await ((Task)abandoned.Checks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        if (checkpoints.Count > 0 && checkpoints[^1].Sequence > chain.Count)
        {
            return new LedgerReport(chain.Count, false, chain.Previous, chain.Count + 1, $"truncated: a checkpoint signed sequence {checkpoints[^1].Sequence} but the log ends at {chain.Count}");
        }

        return new LedgerReport(chain.Count, true, chain.Previous, null, null);
    }

    /// <summary>Walks the batch being hashed, then the events read since.</summary>
    private static async Task<LedgerReport?> WalkAsync(ChainWalk chain, (List<ConsentEvent> Events, Task<EventCheck[]> Checks)? inFlight, List<ConsentEvent> batch, Dictionary<Guid, byte[]> keys) =>
        (inFlight is { } pending ? chain.Walk(pending.Events, await pending.Checks) : null) ?? chain.Walk(batch, Check(batch, keys));

    /// <summary>The per-event cryptography, independent of the events around it, so a batch can run anywhere.</summary>
    private static EventCheck[] Check(List<ConsentEvent> events, Dictionary<Guid, byte[]> keys)
    {
        var checks = new EventCheck[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Hash is null || e.PersonalDigest is null || e.PreviousHash is null)
            {
                continue;
            }

            // Personal fields are checked against the digest while the customer's key exists (it is gone after erasure).
            checks[i] = new EventCheck(
                PersonalOk: !keys.TryGetValue(e.CustomerId, out var key) || LedgerEncoding.PersonalDigestMatches(key, e.PhoneE164, e.IpAddress, e.UserAgent, e.PersonalDigest),
                HashOk: LedgerEncoding.HashMatches(e, e.PersonalDigest, e.PreviousHash, e.Hash));
        }

        return checks;
    }

    private readonly record struct EventCheck(bool PersonalOk, bool HashOk);

    /// <summary>The order-dependent checks, event by event; the first failure is the report.</summary>
    private sealed class ChainWalk(Dictionary<long, List<string>> signedHeads)
    {
        public long Count { get; private set; }

        public string Previous { get; private set; } = LedgerEncoding.Genesis;

        public LedgerReport? Walk(List<ConsentEvent> events, EventCheck[] checks)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                Count++;
                var expectedSequence = Count;
                if (e.Sequence != expectedSequence)
                {
                    return Broken(expectedSequence, e.Sequence < expectedSequence ? "duplicate sequence" : $"gap (next stored event is {e.Sequence})");
                }

                if (e.Hash is null || e.PersonalDigest is null || e.PreviousHash is null)
                {
                    return Broken(e.Sequence, "event is not sealed");
                }

                if (!string.Equals(e.PreviousHash, Previous, StringComparison.Ordinal))
                {
                    return Broken(e.Sequence, "previous-hash mismatch (events removed, inserted or reordered)");
                }

                if (!checks[i].PersonalOk)
                {
                    return Broken(e.Sequence, "personal fields do not match their digest");
                }

                if (!checks[i].HashOk)
                {
                    return Broken(e.Sequence, "hash mismatch (a field was changed)");
                }

                if (signedHeads.TryGetValue(e.Sequence, out var signed) && signed.Any(h => !string.Equals(h, e.Hash, StringComparison.Ordinal)))
                {
                    return Broken(e.Sequence, "checkpoint mismatch (the signed head differs)");
                }

                Previous = e.Hash;
            }

            return null;
        }

        private LedgerReport Broken(long at, string reason) => new(Count, false, Previous, at, reason);
    }
}
