using Microsoft.EntityFrameworkCore;
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
        var expectedSequence = 1L;
        var previous = LedgerEncoding.Genesis;
        var count = 0L;
        await foreach (var e in db.ConsentEvents.AsNoTracking().OrderBy(x => x.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (e.Sequence != expectedSequence)
            {
                return new LedgerReport(count, false, previous, expectedSequence, e.Sequence < expectedSequence ? "duplicate sequence" : $"gap (next stored event is {e.Sequence})");
            }

            if (e.Hash is null || e.PersonalDigest is null || e.PreviousHash is null)
            {
                return new LedgerReport(count, false, previous, e.Sequence, "event is not sealed");
            }

            if (!string.Equals(e.PreviousHash, previous, StringComparison.Ordinal))
            {
                return new LedgerReport(count, false, previous, e.Sequence, "previous-hash mismatch (events removed, inserted or reordered)");
            }

            // Personal fields are checked against the digest while the customer's key exists (it is gone after erasure).
            if (keys.TryGetValue(e.CustomerId, out var key)
                && !string.Equals(LedgerEncoding.PersonalDigest(key, e.PhoneE164, e.IpAddress, e.UserAgent), e.PersonalDigest, StringComparison.Ordinal))
            {
                return new LedgerReport(count, false, previous, e.Sequence, "personal fields do not match their digest");
            }

            if (!string.Equals(LedgerEncoding.Hash(e, e.PersonalDigest, e.PreviousHash), e.Hash, StringComparison.Ordinal))
            {
                return new LedgerReport(count, false, previous, e.Sequence, "hash mismatch (a field was changed)");
            }

            if (signedHeads.TryGetValue(e.Sequence, out var signed) && signed.Any(h => !string.Equals(h, e.Hash, StringComparison.Ordinal)))
            {
                return new LedgerReport(count, false, previous, e.Sequence, "checkpoint mismatch (the signed head differs)");
            }

            previous = e.Hash;
            expectedSequence++;
        }

        if (checkpoints.Count > 0 && checkpoints[^1].Sequence > count)
        {
            return new LedgerReport(count, false, previous, count + 1, $"truncated: a checkpoint signed sequence {checkpoints[^1].Sequence} but the log ends at {count}");
        }

        return new LedgerReport(count, true, previous, null, null);
    }
}
