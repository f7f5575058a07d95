using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Ledger;

/// <summary>
/// Appends events and moves the projection with them, inside a write transaction <see cref="ConsentLedger"/> began.
/// Every consent write in the app goes through here, so "one event per real change" and "projection = replay" hold
/// everywhere.
/// </summary>
/// <remarks>
/// The append is plain SQL, not EF change tracking: it is the hottest write in the app, and EF's cost per change was
/// four times the commit itself (ADR 0015). Values are written in the model's storage formats of the provider at hand
/// (<see cref="LedgerColumns"/>), so EF reads the rows back like any other.
/// </remarks>
internal sealed class ConsentLedgerWriter
{
    private readonly LedgerSql _sql;
    private readonly DateTimeOffset _now;
    private readonly PhoneIndex _phoneIndex;
    private readonly PreferenceCenterDbContext? _db;
    private readonly List<ConsentEvent> _appended = [];

    /// <summary>On <paramref name="sql"/>'s connection and transaction; <paramref name="db"/> is the flow's context on that connection, if any.</summary>
    internal ConsentLedgerWriter(LedgerSql sql, DateTimeOffset now, PhoneIndex phoneIndex, PreferenceCenterDbContext? db)
    {
        _sql = sql;
        _now = sql.Dialect.Stored(now);
        _phoneIndex = phoneIndex;
        _db = db;
    }

    /// <summary>The events this writer appended, counted in the metrics once their transaction commits.</summary>
    public IReadOnlyList<ConsentEvent> Appended => _appended;

    /// <summary>
    /// Grants or revokes one purpose under a consent text: the number is the customer's verified one for a grant and
    /// the number the consent was given on for a revoke.
    /// </summary>
    public async Task<ConsentChangeResult> ChangeAsync(Guid customerId, Purpose purpose, ConsentAction action, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken)
    {
        var context = await ReadAsync(customerId, purpose, consentTextId, cancellationToken);
        if (context.TextPurpose != purpose)
        {
            return new ConsentChangeResult(ConsentChangeOutcome.UnknownText, purpose);
        }

        var phone = action == ConsentAction.Granted ? context.VerifiedPhone : context.StatePhone;
        return phone switch
        {
            null when action == ConsentAction.Granted => new ConsentChangeResult(ConsentChangeOutcome.NoVerifiedNumber, purpose),
            null => new ConsentChangeResult(ConsentChangeOutcome.Unchanged, purpose),
            _ => await AppendAsync(context, customerId, purpose, action, phone, consentTextId, evidence, _now, cancellationToken),
        };
    }

    /// <summary>
    /// "Keep" after a material change: a grant under <paramref name="consentTextId"/> on a consent already granted
    /// under an older version, on the number it was given on. Nothing when it is not granted or already under that text.
    /// </summary>
    public async Task<ConsentChangeResult> ReaffirmAsync(Guid customerId, Purpose purpose, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken)
    {
        var context = await ReadAsync(customerId, purpose, consentTextId, cancellationToken);
        if (context.TextPurpose != purpose)
        {
            return new ConsentChangeResult(ConsentChangeOutcome.UnknownText, purpose);
        }

        if (context.StateGranted != true || context.StatePhone is null || context.StateTextId == consentTextId)
        {
            return new ConsentChangeResult(ConsentChangeOutcome.Unchanged, purpose);
        }

        // Granted on granted is a real change here: from now on the consent stands under the newer wording.
        return await AppendAsync(context with { StateGranted = false }, customerId, purpose, ConsentAction.Granted, context.StatePhone, consentTextId, evidence, _now, cancellationToken);
    }

    public Task<ConsentChangeResult> AppendAsync(
        Guid customerId,
        Purpose purpose,
        ConsentAction action,
        string phoneE164,
        int consentTextId,
        ConsentEvidence evidence,
        CancellationToken cancellationToken) =>
        AppendAsync(customerId, purpose, action, phoneE164, consentTextId, evidence, _now, cancellationToken);

    /// <summary>The same, for a change that happened before it reached us (an import): it is recorded now.</summary>
    public async Task<ConsentChangeResult> AppendAsync(
        Guid customerId,
        Purpose purpose,
        ConsentAction action,
        string phoneE164,
        int consentTextId,
        ConsentEvidence evidence,
        DateTimeOffset occurredAt,
        CancellationToken cancellationToken) =>
        await AppendAsync(await ReadAsync(customerId, purpose, consentTextId, cancellationToken), customerId, purpose, action, phoneE164, consentTextId, evidence, occurredAt, cancellationToken);

    /// <summary>Promises the double opt-in confirmation of a grant this writer appended, in the same transaction (ADR 0030, 0040).</summary>
    public async Task QueueConfirmationAsync(ConsentEvent grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await _sql.ExecuteAsync(_sql.Dialect.QueueConfirmation, cancellationToken, _sql.Dialect.ConfirmationParameters(grant, _now));
    }

    /// <summary>Revokes every granted purpose of a customer, each under the text it was granted with.</summary>
    public async Task<IReadOnlyList<ConsentChangeResult>> RevokeAllAsync(
        Guid customerId,
        IReadOnlyDictionary<Purpose, int>? textsShown,
        ConsentEvidence evidence,
        CancellationToken cancellationToken)
    {
        await SaveFlowChangesAsync(cancellationToken);
        var granted = await _sql.QueryAsync(
            _sql.Dialect.GrantedStates,
            r => (Purpose: Purpose.FromKey(r.GetString(0)), Phone: r.GetString(1), TextId: r.GetInt32(2)),
            cancellationToken,
            ("$c", _sql.Dialect.Id(customerId)));
        var results = new List<ConsentChangeResult>();
        foreach (var (purpose, phone, grantedUnder) in granted.OrderBy(s => s.Purpose))
        {
            var textId = textsShown is not null && textsShown.TryGetValue(purpose, out var shown) ? shown : grantedUnder;
            results.Add(await AppendAsync(customerId, purpose, ConsentAction.Revoked, phone, textId, evidence, _now, cancellationToken));
        }

        return results;
    }

    private async Task<ConsentChangeResult> AppendAsync(
        AppendContext context,
        Guid customerId,
        Purpose purpose,
        ConsentAction action,
        string phoneE164,
        int consentTextId,
        ConsentEvidence evidence,
        DateTimeOffset occurredAt,
        CancellationToken cancellationToken)
    {
        var alreadyThere = context.StateGranted is not { } granted ? action == ConsentAction.Revoked : granted == (action == ConsentAction.Granted);
        if (alreadyThere)
        {
            return new ConsentChangeResult(ConsentChangeOutcome.Unchanged, purpose);
        }

        var key = context.Key;
        if (key is null)
        {
            key = CustomerLedgerKey.Create(customerId).Key;
            await _sql.ExecuteAsync(_sql.Dialect.InsertLedgerKey, cancellationToken, ("$c", _sql.Dialect.Id(customerId)), ("$key", key));
        }

        var columns = _sql.Dialect;
        var e = ConsentEvent.Create(context.HeadSequence + 1, customerId, phoneE164, purpose, action, columns.Stored(occurredAt), consentTextId, evidence, recordedAt: _now, textSha256: context.TextSha256);
        e.Seal(key, context.HeadHash);
        var id = columns.Id(e.Id);
        var customer = columns.Id(customerId);

        // No outbox row: the webhook dispatcher fans the ledger itself out from its cursor (ADR 0011, 0040).
        await _sql.ExecuteAsync(columns.InsertEvent, cancellationToken, columns.EventParameters(e, id, customer));
        int projected;
        if (context.StateLastSequence is { } expected)
        {
            var sameNumber = string.Equals(context.StatePhone, e.PhoneE164, StringComparison.Ordinal);
            projected = await _sql.ExecuteAsync(
                sameNumber ? columns.UpdateStateOnSameNumber : columns.UpdateState,
                cancellationToken,
                columns.StateUpdateParameters(e, id, customer, expected, sameNumber));
        }
        else
        {
            projected = await _sql.ExecuteAsync(columns.InsertState, cancellationToken, columns.StateParameters(e, id, customer));
        }

        if (projected != 1)
        {
            throw new DbUpdateConcurrencyException($"The consent state of sequence {e.Sequence} moved underneath the append.");
        }

        KeepTrackedStateInStep(e);
        _appended.Add(e);
        if (action == ConsentAction.Granted && evidence.Method != ConsentMethod.Import)
        {
            // A fresh, verified opt-in outranks an earlier STOP from that number; an import of old records does not.
            await _sql.ExecuteAsync(
                columns.LiftSuppression,
                cancellationToken,
                ("$now", columns.Instant(_now)),
                ("$key", _phoneIndex.KeyOf(phoneE164)),
                ("$p", purpose.ToString()));
        }

        return new ConsentChangeResult(ConsentChangeOutcome.Changed, purpose, e);
    }

    /// <summary>
    /// Everything an append decides on, in one statement: the text, the customer's verified number, the current
    /// state, the chain head and the customer's ledger key. Read inside the caller's write transaction (SQLite's
    /// BEGIN IMMEDIATE, PostgreSQL's advisory write lock), so nothing moves until the commit and the chain cannot fork.
    /// </summary>
    private async Task<AppendContext> ReadAsync(Guid customerId, Purpose purpose, int consentTextId, CancellationToken cancellationToken)
    {
        await SaveFlowChangesAsync(cancellationToken);
        var rows = await _sql.QueryAsync(
            _sql.Dialect.ReadAppendContext,
            r => new AppendContext(
                TextPurpose: r.IsDBNull(0) ? null : Purpose.FromKey(r.GetString(0)),
                TextSha256: r.IsDBNull(0) ? null : _sql.PublishedTextSha256(consentTextId, r, labelOrdinal: 1, bodyOrdinal: 2),
                VerifiedPhone: r.IsDBNull(3) ? null : r.GetString(3),
                StateGranted: r.IsDBNull(4) ? null : r.GetBoolean(4),
                StatePhone: r.IsDBNull(5) ? null : r.GetString(5),
                StateLastSequence: r.IsDBNull(6) ? null : r.GetInt64(6),
                HeadSequence: r.IsDBNull(7) ? 0L : r.GetInt64(7),
                HeadHash: r.IsDBNull(8) ? LedgerEncoding.Genesis : r.GetString(8),
                Key: r.IsDBNull(9) ? null : r.GetFieldValue<byte[]>(9),
                StateTextId: r.IsDBNull(10) ? null : r.GetInt32(10)),
            cancellationToken,
            ("$c", _sql.Dialect.Id(customerId)),
            ("$p", purpose.ToString()),
            ("$text", consentTextId));
        return rows[0];
    }

    /// <summary>In a flow's transaction: the rows it added through EF so far (a new customer, a new number) are written before an event refers to them.</summary>
    private async Task SaveFlowChangesAsync(CancellationToken cancellationToken)
    {
        if (_db is not null && _db.ChangeTracker.HasChanges())
        {
            await _db.SaveChangesAsync(cancellationToken);
        }
    }

    private sealed record AppendContext(
        Purpose? TextPurpose,
        string? TextSha256,
        string? VerifiedPhone,
        bool? StateGranted,
        string? StatePhone,
        long? StateLastSequence,
        long HeadSequence,
        string HeadHash,
        byte[]? Key,
        int? StateTextId);

    /// <summary>A state the caller's context already tracks must not go stale (or be written back) behind the append.</summary>
    private void KeepTrackedStateInStep(ConsentEvent e)
    {
        if (_db is null)
        {
            return;
        }

        foreach (var entry in _db.ChangeTracker.Entries<ConsentState>())
        {
            if (entry.Entity.CustomerId == e.CustomerId && entry.Entity.Purpose == e.Purpose)
            {
                entry.Entity.Apply(e);
                entry.OriginalValues.SetValues(entry.CurrentValues);
                entry.State = EntityState.Unchanged;
            }
        }
    }
}
