using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.ConsentTexts;

/// <summary>
/// What a customer is asked after a material change of a text they agreed to, and their answer. Both answers go
/// through <see cref="IConsentService"/> and point at the newest version (ADR 0016).
/// </summary>
public sealed class PendingChanges(IDbContextFactory<PreferenceCenterDbContext> dbFactory, IConsentService consents, PurposeRegistry purposeRegistry)
{
    /// <summary>One entry per granted purpose whose text has a material change the customer has not answered.</summary>
    public async Task<IReadOnlyList<PendingTextChange>> ForCustomerAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var granted = await db.ConsentStates.AsNoTracking()
            .Where(s => s.CustomerId == customerId && s.Granted)
            .Join(db.ConsentTexts, s => s.ConsentTextId, t => t.Id, (s, t) => t)
            .ToListAsync(cancellationToken);
        if (granted.Count == 0)
        {
            return [];
        }

        var purposes = granted.Select(t => t.Purpose).Distinct().ToList();
        var published = await db.ConsentTexts.AsNoTracking()
            .Where(t => t.Status == ConsentTextStatus.Published && purposes.Contains(t.Purpose))
            .ToListAsync(cancellationToken);
        return granted
            .Select(t => ConsentTextChanges.PendingFor(t, published, purposeRegistry.Current))
            .OfType<PendingTextChange>()
            .OrderBy(c => c.Purpose)
            .ToList();
    }

    /// <summary>"Keep": the consent is granted again under the newest version.</summary>
    public Task<ConsentChangeResult> KeepAsync(Guid customerId, PendingTextChange change, ConsentEvidence evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(evidence);
        return consents.ReaffirmAsync(customerId, change.Purpose, change.Latest.Id, evidence.WithReason(ConsentReasons.KeptAfterChange), cancellationToken);
    }

    /// <summary>"Withdraw": the consent is revoked, recorded against the newest version the customer was shown.</summary>
    public Task<ConsentChangeResult> WithdrawAsync(Guid customerId, PendingTextChange change, ConsentEvidence evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(evidence);
        return consents.RevokeAsync(customerId, change.Purpose, change.Latest.Id, evidence.WithReason(ConsentReasons.WithdrawnAfterChange), cancellationToken);
    }
}
