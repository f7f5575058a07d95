using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Ledger;

/// <summary>
/// Chains events written before the ledger had hashes, once, in sequence order, at start-up. The database trigger
/// lets only unsealed rows receive their chain columns; every other change still fails.
/// </summary>
internal static class LedgerSealer
{
    public static async Task SealLegacyEventsAsync(PreferenceCenterDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.ConsentEvents.AnyAsync(e => e.Hash == null, cancellationToken))
        {
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var previous = LedgerEncoding.Genesis;
        foreach (var e in await db.ConsentEvents.AsNoTracking().OrderBy(x => x.Sequence).ToListAsync(cancellationToken))
        {
            if (e.Hash is not null)
            {
                previous = e.Hash;
                continue;
            }

            var key = await db.CustomerLedgerKeys.FirstOrDefaultAsync(k => k.CustomerId == e.CustomerId, cancellationToken);
            if (key is null)
            {
                key = CustomerLedgerKey.Create(e.CustomerId);
                db.CustomerLedgerKeys.Add(key);
                await db.SaveChangesAsync(cancellationToken);
            }

            e.Seal(key.Key, previous);
            await db.ConsentEvents.Where(x => x.Id == e.Id).ExecuteUpdateAsync(
                set => set.SetProperty(x => x.PersonalDigest, e.PersonalDigest).SetProperty(x => x.PreviousHash, e.PreviousHash).SetProperty(x => x.Hash, e.Hash),
                cancellationToken);
            previous = e.Hash!;
        }

        await tx.CommitAsync(cancellationToken);
    }
}
