using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Customers;

/// <summary>The customer a proved number signs in: its holder, or a new one (ADR 22, ADR 23).</summary>
public sealed record ProvedHolder(Guid CustomerId, string UserId, bool IsNew, int EarlierHoldersReleased);

/// <summary>
/// Whoever proves a number (a correct code, or a link that came to it by text) controls its consents. Runs inside the
/// caller's transaction, so the account, the customer, the number and any withdrawals commit together or not at all.
/// </summary>
internal static class NumberHolders
{
    public static async Task<ProvedHolder> ProveAsync(PreferenceCenterDbContext db, ConsentLedgerWriter writer, string phoneE164, DateTimeOffset now, TimeSpan gap, CancellationToken ct)
    {
        var holders = await (from p in db.CustomerPhones
                             join c in db.Customers on p.CustomerId equals c.Id
                             where p.PhoneE164 == phoneE164 && p.ReplacedAt == null && !p.IsImported && c.UserId != null && c.ErasedAt == null
                             orderby p.VerifiedAt descending
                             select new { Phone = p, c.UserId }).ToListAsync(ct);

        if (holders.Count > 0 && !NumberHolding.StartsNewHolderPeriod(await LastSignOfLifeAsync(db, phoneE164, ct), now, gap))
        {
            return new ProvedHolder(holders[0].Phone.CustomerId, holders[0].UserId!, false, 0);
        }

        // A new holder period: earlier holders keep their history, but nobody is texted on their word any more.
        var evidence = new ConsentEvidence(ConsentMethod.System, "system", null, null, null, ConsentReasons.NumberVerifiedByNewHolder);
        foreach (var holder in holders)
        {
            await writer.RevokeAllAsync(holder.Phone.CustomerId, null, evidence, ct);
            holder.Phone.Replace(now);
        }

        var user = NewCustomerAccount(now);
        db.Users.Add(user);
        var customer = Customer.ForUser(user.Id, now);
        db.Customers.Add(customer);
        await db.SaveChangesAsync(ct);

        // An import that holds the number becomes this new account's record (ADR 13).
        var adopted = await ImportedCustomers.ResolveOnVerificationAsync(db, writer, customer.Id, phoneE164, now, ct);
        if (adopted is null)
        {
            db.CustomerPhones.Add(CustomerPhone.Verified(customer.Id, phoneE164, now));
        }

        return new ProvedHolder(adopted ?? customer.Id, user.Id, true, holders.Count);
    }

    /// <summary>Releases the number from every other account holding it: the customer who just proved it controls it now.</summary>
    public static async Task<int> ReleaseFromOthersAsync(PreferenceCenterDbContext db, ConsentLedgerWriter writer, Guid customerId, string phoneE164, DateTimeOffset now, CancellationToken ct)
    {
        var others = await db.CustomerPhones
            .Where(p => p.PhoneE164 == phoneE164 && p.ReplacedAt == null && !p.IsImported && p.CustomerId != customerId)
            .Where(p => db.Customers.Any(c => c.Id == p.CustomerId && c.UserId != null))
            .ToListAsync(ct);
        var evidence = new ConsentEvidence(ConsentMethod.System, "verification", null, null, null, ConsentReasons.NumberVerifiedByAnotherCustomer);
        foreach (var phone in others)
        {
            await writer.RevokeAllAsync(phone.CustomerId, null, evidence, ct);
            phone.Replace(now);
        }

        return others.Count;
    }

    /// <summary>The latest moment anyone showed they had the number: a verified code, an opened link, or a text from it.</summary>
    private static async Task<DateTimeOffset?> LastSignOfLifeAsync(PreferenceCenterDbContext db, string phoneE164, CancellationToken ct)
    {
        // Four small indexed reads, maxed here: SQLite cannot order or max DateTimeOffset columns in SQL.
        var verified = await db.CustomerPhones.Where(p => p.PhoneE164 == phoneE164 && !p.IsImported).Select(p => p.VerifiedAt).ToListAsync(ct);
        var codes = await db.VerificationChallenges.Where(c => c.PhoneE164 == phoneE164 && c.VerifiedAt != null).Select(c => c.VerifiedAt!.Value).ToListAsync(ct);
        var links = await db.SignInLinks.Where(l => l.PhoneE164 == phoneE164 && l.UsedAt != null).Select(l => l.UsedAt!.Value).ToListAsync(ct);
        var texts = await db.InboundSms.Where(m => m.FromE164 == phoneE164).Select(m => m.ReceivedAt).ToListAsync(ct);
        var all = verified.Concat(codes).Concat(links).Concat(texts).ToList();
        return all.Count == 0 ? null : all.Max();
    }

    /// <summary>A customer's account: no email, no password: the number and its code are the way in.</summary>
    private static ApplicationUser NewCustomerAccount(DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now).ToString();
        var name = "customer-" + id;
        return new ApplicationUser
        {
            Id = id,
            UserName = name,
            NormalizedUserName = name.ToUpperInvariant(),
            SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
        };
    }
}
