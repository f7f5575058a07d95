using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.Messaging;

public sealed record ReviewDeskItem(long Id, string FromE164, string Body, Guid? CustomerId, string? CustomerEmail, DateTimeOffset ReceivedAt);

/// <summary>Texts that read like an opt-out without being a keyword. Nothing is dropped: an agent revokes or dismisses.</summary>
public sealed class ReviewDesk(IDbContextFactory<PreferenceCenterDbContext> dbFactory, TimeProvider clock, PhoneIndex phoneIndex, PurposeRegistry purposeRegistry, ConsentLedger ledger)
{
    public async Task<IReadOnlyList<ReviewDeskItem>> OpenItemsAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ReviewItems.AsNoTracking()
            .Where(r => r.ResolvedAt == null)
            .OrderBy(r => r.Id)
            .Take(Math.Clamp(take, 1, 500))
            .Select(r => new ReviewDeskItem(
                r.Id,
                r.FromE164,
                r.Body,
                r.CustomerId,
                db.Customers.Where(c => c.Id == r.CustomerId).SelectMany(c => db.Users.Where(u => u.Id == c.UserId).Select(u => u.Email)).FirstOrDefault(),
                r.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Revokes everything for the sender (customer events with method agent, and a suppression on the number) or dismisses; either needs a reason.</summary>
    public async Task<bool> ResolveAsync(long id, bool revoke, string reason, StaffMember staff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required.", nameof(reason));
        }

        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await ledger.BeginAsync(db, now, cancellationToken);
        var item = await db.ReviewItems.FirstOrDefaultAsync(r => r.Id == id && r.ResolvedAt == null, cancellationToken);
        if (item is null)
        {
            return false;
        }

        if (revoke)
        {
            var evidence = new ConsentEvidence(ConsentMethod.Agent, staff.Actor, staff.IpAddress, null, null, $"{reason.Trim()} (text: \"{Shorten(item.Body)}\")");
            var customers = await db.CustomerPhones.Where(p => p.PhoneE164 == item.FromE164 && p.ReplacedAt == null).Select(p => p.CustomerId).ToListAsync(cancellationToken);
            foreach (var customer in customers)
            {
                await tx.Writer.RevokeAllAsync(customer, null, evidence, cancellationToken);
            }

            await Suppressions.SuppressAsync(db, phoneIndex, item.FromE164, purposeRegistry.Current.All, $"review:{item.Id}", now, cancellationToken);
        }

        item.Resolve(staff.Email, $"{(revoke ? "revoked" : "dismissed")}: {reason.Trim()}", now);
        db.AccessRecords.Add(AccessRecord.Create(staff, revoke ? AccessActions.Revoke : AccessActions.View, item.CustomerId, $"review item {item.Id}", now));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    private static string Shorten(string body) => body.Length > 60 ? body[..60] + "…" : body;
}
