using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Ledger;

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// Setup only, never measured: a long sealed ledger built with the domain's own Create + Seal and stored in one
/// transaction, because 100,000 events through the service (one fsync each) would take minutes.
/// </summary>
public static class LedgerSeeder
{
    /// <summary>Appends <paramref name="events"/> events spread over <paramref name="customers"/> customers; returns them in order.</summary>
    public static async Task<IReadOnlyList<ConsentEvent>> SeedAsync(BenchmarkDatabase app, int customers, int events)
    {
        var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        await using var db = await app.Contexts.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var tx = await db.Database.BeginTransactionAsync();

        var keys = new List<CustomerLedgerKey>(customers);
        for (var i = 0; i < customers; i++)
        {
            var user = new ApplicationUser { UserName = $"seed{i}@example.test" };
            var customer = Customer.ForUser(user.Id, start);
            var key = CustomerLedgerKey.Create(customer.Id);
            db.Users.Add(user);
            db.Customers.Add(customer);
            db.CustomerLedgerKeys.Add(key);
            keys.Add(key);
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        // Round r touches every customer once: purposes alternate, and each (customer, purpose) alternates grant/revoke.
        var textHashes = await db.ConsentTexts.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.TextSha256);
        var all = new List<ConsentEvent>(events);
        var previous = LedgerEncoding.Genesis;
        for (var sequence = 1L; sequence <= events; sequence++)
        {
            var round = (sequence - 1) / customers;
            var key = keys[(int)((sequence - 1) % customers)];
            var textId = round % 2 == 0 ? 1 : 2;
            var purpose = textId == 1 ? Purpose.AccountAlerts : Purpose.Promotions;
            var action = round / 2 % 2 == 0 ? ConsentAction.Granted : ConsentAction.Revoked;
            var phone = $"+4477009{(sequence - 1) % customers:D5}";
            var e = ConsentEvent.Create(sequence, key.CustomerId, phone, purpose, action, start.AddSeconds(sequence), textId, BenchmarkDatabase.Evidence(key.CustomerId), textSha256: textHashes[textId]);
            e.Seal(key.Key, previous);
            previous = e.Hash!;
            all.Add(e);
            db.ConsentEvents.Add(e);
            if (sequence % 5_000 == 0)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        db.ConsentStates.AddRange(ConsentState.Replay(all).Values);
        await db.SaveChangesAsync();
        await tx.CommitAsync();

        // The app signs its head; the verifier then also checks the signature and the truncation rule.
        await app.Services.GetRequiredService<LedgerCheckpointer>().CheckpointAsync();
        return all;
    }
}
