using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Consents;

/// <summary>
/// Appends events and moves the projection with them, inside a transaction the caller owns. Every consent write in
/// the app goes through here, so "one event per real change" and "projection = replay" hold everywhere.
/// </summary>
internal sealed class ConsentLedgerWriter(PreferenceCenterDbContext db, DateTimeOffset now)
{
    private long? _nextSequence;

    public async Task<ConsentChangeResult> AppendAsync(
        Guid customerId,
        Purpose purpose,
        ConsentAction action,
        string phoneE164,
        int consentTextId,
        ConsentEvidence evidence,
        CancellationToken cancellationToken)
    {
        var state = await db.ConsentStates.FirstOrDefaultAsync(s => s.CustomerId == customerId && s.Purpose == purpose, cancellationToken);
        var alreadyThere = state is null ? action == ConsentAction.Revoked : state.IsAlready(action);
        if (alreadyThere)
        {
            return new ConsentChangeResult(ConsentChangeOutcome.Unchanged, purpose);
        }

        _nextSequence ??= (await db.ConsentEvents.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0) + 1;
        var e = ConsentEvent.Create(_nextSequence.Value, customerId, phoneE164, purpose, action, now, consentTextId, evidence);
        _nextSequence++;
        db.ConsentEvents.Add(e);
        if (state is null)
        {
            db.ConsentStates.Add(ConsentState.From(e));
        }
        else
        {
            state.Apply(e);
        }

        if (action == ConsentAction.Granted && evidence.Method != ConsentMethod.Import)
        {
            // A fresh, verified opt-in outranks an earlier STOP from that number; an import of old records does not.
            foreach (var suppression in await db.SmsSuppressions.Where(s => s.PhoneE164 == phoneE164 && s.Purpose == purpose && s.LiftedAt == null).ToListAsync(cancellationToken))
            {
                suppression.Lift(now);
            }
        }

        return new ConsentChangeResult(ConsentChangeOutcome.Changed, purpose, e);
    }

    /// <summary>Revokes every granted purpose of a customer, each under the text it was granted with.</summary>
    public async Task<IReadOnlyList<ConsentChangeResult>> RevokeAllAsync(
        Guid customerId,
        IReadOnlyDictionary<Purpose, int>? textsShown,
        ConsentEvidence evidence,
        CancellationToken cancellationToken)
    {
        var granted = await db.ConsentStates.Where(s => s.CustomerId == customerId && s.Granted).ToListAsync(cancellationToken);
        var results = new List<ConsentChangeResult>();
        foreach (var state in granted.OrderBy(s => s.Purpose))
        {
            var textId = textsShown is not null && textsShown.TryGetValue(state.Purpose, out var shown) ? shown : state.ConsentTextId;
            results.Add(await AppendAsync(customerId, state.Purpose, ConsentAction.Revoked, state.PhoneE164, textId, evidence, cancellationToken));
        }

        return results;
    }
}
