using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Customers;

/// <summary>
/// What proving a number does to an imported customer who holds it, "imported, not verified" (ADR 13): the consent
/// that governs texts to a verified number is always the consent its owner can see and change.
/// </summary>
internal static class ImportedCustomers
{
    /// <summary>
    /// Inside the caller's verification transaction. A brand-new account takes the imported customer over (the
    /// account's customer id becomes the imported one, which is returned); anyone else retires the imported record:
    /// its grants are revoked and its number is released. Returns null when the verifier stays who they were.
    /// </summary>
    public static async Task<Guid?> ResolveOnVerificationAsync(PreferenceCenterDbContext db, ConsentLedgerWriter writer, Guid customerId, string phoneE164, DateTimeOffset now, CancellationToken ct)
    {
        var imported = await db.CustomerPhones.Where(p => p.PhoneE164 == phoneE164 && p.ReplacedAt == null && p.IsImported && p.CustomerId != customerId).ToListAsync(ct);
        if (imported.Count == 0)
        {
            return null;
        }

        var verifier = await db.Customers.FirstAsync(c => c.Id == customerId, ct);
        var isNewAccount = verifier.UserId is not null
            && !await db.CustomerPhones.AnyAsync(p => p.CustomerId == customerId, ct)
            && !await db.ConsentEvents.AnyAsync(e => e.CustomerId == customerId, ct);
        if (isNewAccount && imported is [var only] && await db.Customers.FirstAsync(c => c.Id == only.CustomerId, ct) is { IsUnclaimedImport: true } target)
        {
            // Two saves: the user id is unique, so it leaves the old record before it reaches the new one.
            var userId = verifier.MoveAccountTo(target);
            await db.SaveChangesAsync(ct);
            target.ClaimFor(userId);
            only.Replace(now);
            db.CustomerPhones.Add(CustomerPhone.Verified(target.Id, phoneE164, now));
            await db.VerificationChallenges.Where(c => c.CustomerId == customerId).ExecuteUpdateAsync(set => set.SetProperty(c => c.CustomerId, target.Id), ct);
            await db.SaveChangesAsync(ct);
            return target.Id;
        }

        var evidence = new ConsentEvidence(ConsentMethod.System, "verification", null, null, null, ConsentReasons.NumberVerifiedByAnotherCustomer);
        foreach (var phone in imported)
        {
            await writer.RevokeAllAsync(phone.CustomerId, null, evidence, ct);
            phone.Replace(now);
        }

        // Saved now: the caller's own ledger writes read the chain head from the database.
        await db.SaveChangesAsync(ct);
        return null;
    }
}
