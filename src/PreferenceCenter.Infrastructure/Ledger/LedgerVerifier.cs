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
    public static async Task<LedgerReport> VerifyAsync(PreferenceCenterDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
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

            previous = e.Hash;
            expectedSequence++;
        }

        return new LedgerReport(count, true, previous, null, null);
    }
}
