using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Consents;

/// <summary>
/// Appends events and moves the projection with them, inside a transaction the caller owns. Every consent write in
/// the app goes through here, so "one event per real change" and "projection = replay" hold everywhere.
/// </summary>
internal sealed class ConsentLedgerWriter(PreferenceCenterDbContext db, DateTimeOffset now, PhoneIndex phoneIndex)
{
    private readonly Dictionary<int, string?> _textHashes = [];
    private (long Sequence, string Hash)? _head;

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

        // The head is read inside the caller's write transaction, so the chain cannot fork.
        if (_head is null)
        {
            var last = await db.ConsentEvents.OrderByDescending(x => x.Sequence).Select(x => new { x.Sequence, x.Hash }).FirstOrDefaultAsync(cancellationToken);
            _head = last is null ? (0L, LedgerEncoding.Genesis) : (last.Sequence, last.Hash ?? LedgerEncoding.Genesis);
        }

        var e = ConsentEvent.Create(_head.Value.Sequence + 1, customerId, phoneE164, purpose, action, now, consentTextId, evidence, textSha256: await TextHashAsync(consentTextId, cancellationToken));
        e.Seal(await KeyForAsync(customerId, cancellationToken), _head.Value.Hash);
        _head = (e.Sequence, e.Hash!);
        db.ConsentEvents.Add(e);
        QueueWebhook(e);
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
            var key = phoneIndex.KeyOf(phoneE164);
            foreach (var suppression in await db.SmsSuppressions.Where(s => s.PhoneKey == key && s.Purpose == purpose && s.LiftedAt == null).ToListAsync(cancellationToken))
            {
                suppression.Lift(now);
            }
        }

        return new ConsentChangeResult(ConsentChangeOutcome.Changed, purpose, e);
    }

    /// <summary>
    /// The webhook outbox row, committed with the event or not at all (ADR 0011). One INSERT, no subscriber lookup:
    /// the dispatcher fans it out later.
    /// </summary>
    private void QueueWebhook(ConsentEvent e) => db.WebhookOutbox.Add(Webhooks.WebhookOutboxEntry.For(e));

    /// <summary>A text the caller has already read, so the writer does not read it again for its hash.</summary>
    public ConsentLedgerWriter Knowing(ConsentText text)
    {
        _textHashes[text.Id] = text.TextSha256;
        return this;
    }

    private async Task<string?> TextHashAsync(int consentTextId, CancellationToken cancellationToken)
    {
        if (!_textHashes.TryGetValue(consentTextId, out var hash))
        {
            var text = await db.ConsentTexts.AsNoTracking().FirstOrDefaultAsync(t => t.Id == consentTextId, cancellationToken);
            hash = _textHashes[consentTextId] = text?.TextSha256;
        }

        return hash;
    }

    private async Task<byte[]> KeyForAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var key = db.CustomerLedgerKeys.Local.FirstOrDefault(k => k.CustomerId == customerId)
            ?? await db.CustomerLedgerKeys.FirstOrDefaultAsync(k => k.CustomerId == customerId, cancellationToken);
        if (key is null)
        {
            key = CustomerLedgerKey.Create(customerId);
            db.CustomerLedgerKeys.Add(key);
        }

        return key.Key;
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
