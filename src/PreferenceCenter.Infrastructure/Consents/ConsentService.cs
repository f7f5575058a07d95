using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.Consents;

internal sealed partial class ConsentService(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    TimeProvider clock,
    ConsentLedger ledger,
    Messaging.TextQueueSignal queuedTexts,
    PurposeRegistry purposeRegistry,
    ILogger<ConsentService> logger) : IConsentService
{
    public Task<ConsentChangeResult> GrantAsync(Guid customerId, Purpose purpose, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken = default) =>
        ChangeAsync(customerId, purpose, ConsentAction.Granted, consentTextId, evidence, cancellationToken);

    public Task<ConsentChangeResult> RevokeAsync(Guid customerId, Purpose purpose, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken = default) =>
        ChangeAsync(customerId, purpose, ConsentAction.Revoked, consentTextId, evidence, cancellationToken);

    public async Task<ConsentChangeResult> ReaffirmAsync(Guid customerId, Purpose purpose, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var result = await ledger.AppendAsync(writer => writer.ReaffirmAsync(customerId, purpose, consentTextId, evidence, cancellationToken), cancellationToken);
        if (result.Event is not null)
        {
            LogChanged(result.Event.Sequence, purpose, ConsentAction.Granted, evidence.Method);
        }

        return result;
    }

    public async Task<IReadOnlyList<ConsentChangeResult>> RevokeAllAsync(Guid customerId, IReadOnlyDictionary<Purpose, int> textsShown, ConsentEvidence evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var results = await ledger.AppendAsync(writer => writer.RevokeAllAsync(customerId, textsShown, evidence, cancellationToken), cancellationToken);
        foreach (var r in results.Where(r => r.Event is not null))
        {
            LogChanged(r.Event!.Sequence, r.Purpose, ConsentAction.Revoked, evidence.Method);
        }

        return results;
    }

    public async Task<IReadOnlyList<ConsentStateView>> GetStatesAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var states = await db.ConsentStates.AsNoTracking().Where(s => s.CustomerId == customerId).ToListAsync(cancellationToken);
        return purposeRegistry.Current.All
            .Select(p => states.FirstOrDefault(s => s.Purpose == p) is { } s
                ? new ConsentStateView(p, s.Granted, s.PhoneE164, s.ChangedAt, s.LastSequence, s.ConsentTextId)
                : new ConsentStateView(p, false, null, null, null))
            .ToList();
    }

    public async Task<IReadOnlyList<ConsentHistoryItem>> GetHistoryAsync(Guid customerId, int take = 200, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = await db.ConsentEvents.AsNoTracking()
            .Where(e => e.CustomerId == customerId)
            .OrderByDescending(e => e.Sequence)
            .Take(Math.Clamp(take, 1, 1000))
            .Join(db.ConsentTexts, e => e.ConsentTextId, t => t.Id, (e, t) => new ConsentHistoryItem(e.Sequence, e.OccurredAt, e.Purpose, e.Action, e.Method, e.Reason, e.PhoneE164)
            {
                RecordedAt = e.RecordedAt,
                Actor = e.Actor,
                IpAddress = e.IpAddress,
                UserAgent = e.UserAgent,
                Locale = e.Locale,
                Origin = e.Origin,
                ConsentTextId = e.ConsentTextId,
                TextVersion = t.Version,
                TextSha256 = e.TextSha256,
                Hash = e.Hash,
            })
            .ToListAsync(cancellationToken);

        // Receipts are numbered per customer (their first change is receipt 1), newest first here. Only a customer with
        // more changes than fit on the page costs a count: this runs after every tick.
        var total = items.Count < Math.Clamp(take, 1, 1000) ? items.Count : await db.ConsentEvents.CountAsync(e => e.CustomerId == customerId, cancellationToken);
        return [.. items.OrderByDescending(i => i.Sequence).Select((item, index) => item with { Number = total - index })];
    }

    public async Task RecordTextsShownAsync(Guid customerId, IReadOnlyCollection<int> consentTextIds, ConsentEvidence evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consentTextIds);
        ArgumentNullException.ThrowIfNull(evidence);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var seen = await db.ConsentTextImpressions.Where(i => i.CustomerId == customerId && consentTextIds.Contains(i.ConsentTextId)).Select(i => i.ConsentTextId).ToListAsync(cancellationToken);
        var fresh = consentTextIds.Distinct().Except(seen).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        db.ConsentTextImpressions.AddRange(fresh.Select(id => ConsentTextImpression.Create(customerId, id, now, evidence.Method, evidence.Origin)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another tab recorded the same version first: "once per version" already holds.
        }
    }

    public async Task<ConsentAnswer> ConsentAtAsync(Guid customerId, Purpose purpose, DateTimeOffset instant, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = await db.ConsentEvents.AsNoTracking().Where(e => e.CustomerId == customerId && e.Purpose == purpose).ToListAsync(cancellationToken);
        return ConsentReplay.At(events, purpose, instant);
    }

    public async Task<IReadOnlyList<ConsentEvent>> GetChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ConsentEvents.AsNoTracking().Where(e => e.Sequence > afterSequence).OrderBy(e => e.Sequence).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
    }

    public async Task<ConsentReceipt?> GetReceiptAsync(Guid customerId, long sequence, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var e = await db.ConsentEvents.AsNoTracking().FirstOrDefaultAsync(x => x.Sequence == sequence && x.CustomerId == customerId, cancellationToken);
        if (e is null)
        {
            return null;
        }

        var text = await db.ConsentTexts.AsNoTracking().FirstAsync(t => t.Id == e.ConsentTextId, cancellationToken);
        var head = await db.ConsentEvents.AsNoTracking().OrderByDescending(x => x.Sequence).Select(x => new { x.Sequence, x.Hash }).FirstAsync(cancellationToken);
        var number = await db.ConsentEvents.CountAsync(x => x.CustomerId == customerId && x.Sequence <= sequence, cancellationToken);
        var request = e.Method == ConsentMethod.Sms && e.Action == ConsentAction.Granted
            ? await db.OptInRequests.AsNoTracking().FirstOrDefaultAsync(r => r.ConsentEventSequence == sequence, cancellationToken)
            : null;
        return new ConsentReceipt(e, text, head.Sequence, head.Hash ?? string.Empty, clock.GetUtcNow())
        {
            CustomerNumber = number,
            Conversation = request is null ? null : Domain.OptIns.OptInConversation.Of(request),
        };
    }

    public async Task<IReadOnlyList<ConsentText>> GetCurrentTextsAsync(string language, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ConsentTexts.CurrentTexts.ReadAsync(db, purposeRegistry.Current.All, language, cancellationToken);
    }

    private async Task<ConsentChangeResult> ChangeAsync(Guid customerId, Purpose purpose, ConsentAction action, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);

        // Appends are serialised, so two tabs racing see each other's event and one of them logs (and confirms) nothing.
        var result = await ledger.AppendAsync(
            async writer =>
            {
                var change = await writer.ChangeAsync(customerId, purpose, action, consentTextId, evidence, cancellationToken);
                if (change.Event is { Action: ConsentAction.Granted } grant)
                {
                    // The double opt-in confirmation commits with the grant: one per new grant, never lost (ADR 0030).
                    await writer.QueueConfirmationAsync(grant, cancellationToken);
                }

                return change;
            },
            cancellationToken);
        if (result.Event is null)
        {
            return result;
        }

        if (action == ConsentAction.Granted)
        {
            queuedTexts.Poke();
        }

        LogChanged(result.Event.Sequence, purpose, action, evidence.Method);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consent event {Sequence}: {Purpose} {Action} via {Method}")]
    private partial void LogChanged(long sequence, Purpose purpose, ConsentAction action, string method);
}
