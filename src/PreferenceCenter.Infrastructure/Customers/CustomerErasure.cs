using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Customers;

/// <summary>
/// Erasure in one transaction: revoke, blank personal fields, drop the customer's ledger key and every table row
/// that names their numbers; suppressions stay, keyed by the number's keyed hash (docs/decisions/0009).
/// </summary>
public sealed partial class CustomerErasure(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    TimeProvider clock,
    PhoneIndex phoneIndex,
    ILogger<CustomerErasure> logger) : ICustomerErasure
{
    private const string Erased = "[erased]";

    public async Task<ErasureReport?> EraseForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customerId = await db.Customers.Where(c => c.UserId == userId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        return customerId is { } id ? await EraseAsync(id, cancellationToken) : null;
    }

    public async Task<ErasureReport> EraseAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw new InvalidOperationException("No such customer.");
        if (customer.ErasedAt is not null)
        {
            return new ErasureReport(customerId, true, 0, 0, 0);
        }

        var now = clock.GetUtcNow();

        // The last word of the log is "no consent", sealed while the key still exists.
        var evidence = new ConsentEvidence(ConsentMethod.Web, $"customer:{customerId}", null, null, null, ConsentReasons.AccountDeleted);
        var revoked = await ConsentLedgerWriter.For(db, now, phoneIndex).RevokeAllAsync(customerId, null, evidence, cancellationToken);
        customer.MarkErased(now);
        await db.SaveChangesAsync(cancellationToken);

        var numbers = await db.CustomerPhones.Where(p => p.CustomerId == customerId).Select(p => p.PhoneE164)
            .Union(db.ConsentEvents.Where(e => e.CustomerId == customerId && e.PhoneE164 != string.Empty).Select(e => e.PhoneE164))
            .Union(db.VerificationChallenges.Where(c => c.CustomerId == customerId).Select(c => c.PhoneE164))
            .ToListAsync(cancellationToken);

        var events = await db.ConsentEvents.Where(e => e.CustomerId == customerId)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.PhoneE164, string.Empty).SetProperty(e => e.IpAddress, (string?)null).SetProperty(e => e.UserAgent, (string?)null), cancellationToken);
        await db.ConsentStates.Where(s => s.CustomerId == customerId).ExecuteUpdateAsync(set => set.SetProperty(s => s.PhoneE164, string.Empty), cancellationToken);
        await db.CustomerLedgerKeys.Where(k => k.CustomerId == customerId).ExecuteDeleteAsync(cancellationToken);
        await db.CustomerPhones.Where(p => p.CustomerId == customerId).ExecuteDeleteAsync(cancellationToken);
        await db.VerificationChallenges.Where(c => c.CustomerId == customerId).ExecuteDeleteAsync(cancellationToken);
        await db.SmsOutbox.Where(m => numbers.Contains(m.ToE164)).ExecuteDeleteAsync(cancellationToken);
        await db.InboundSms.Where(m => numbers.Contains(m.FromE164)).ExecuteUpdateAsync(set => set.SetProperty(m => m.FromE164, string.Empty).SetProperty(m => m.Body, Erased), cancellationToken);
        await db.ReviewItems.Where(r => r.CustomerId == customerId || numbers.Contains(r.FromE164)).ExecuteUpdateAsync(set => set.SetProperty(r => r.FromE164, string.Empty).SetProperty(r => r.Body, Erased), cancellationToken);

        // A STOP must outlive the person who sent it: keep the row, forget the number, look it up by keyed hash.
        var suppressions = await db.SmsSuppressions.Where(s => numbers.Contains(s.PhoneE164))
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.PhoneE164, string.Empty), cancellationToken);

        await tx.CommitAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Old page images of the erased rows live in the WAL until a checkpoint; fold them in now, best effort.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        }

        var report = new ErasureReport(customerId, false, revoked.Count(r => r.Event is not null), events, suppressions);
        LogErased(customerId, report.ConsentsRevoked, report.EventsErased, report.SuppressionsKept);
        return report;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {CustomerId} erased: {Revoked} consents revoked, {Events} events anonymised, {Suppressions} suppressions kept by keyed hash")]
    private partial void LogErased(Guid customerId, int revoked, int events, int suppressions);
}
