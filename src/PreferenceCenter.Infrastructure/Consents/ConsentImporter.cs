using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.Consents;

/// <summary>A batch read and checked row by row, not yet compared with the database.</summary>
public sealed record ConsentImportBatch(IReadOnlyList<ConsentImportRow> Rows, IReadOnlyList<ConsentImportRejection> Rejected, int RowCount, bool TooManyRows);

/// <summary>
/// Bulk import of another system's consent records (ADR 13): validated row by row, then all or nothing in one
/// transaction through <see cref="ConsentLedgerWriter"/>, so the hash chain and the projection stay exact.
/// </summary>
public sealed partial class ConsentImporter(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    TimeProvider clock,
    PhoneIndex phoneIndex,
    ConsentLedger ledger,
    PurposeRegistry purposeRegistry,
    ILogger<ConsentImporter> logger)
{
    /// <summary>Reads the rows as they stream in and checks each one; stops after <paramref name="maxRows"/>.</summary>
    public async Task<ConsentImportBatch> ReadAsync(IAsyncEnumerable<ConsentImportInput?> rows, string? defaultRegion, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        IReadOnlyList<ConsentText> texts;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            texts = await db.ConsentTexts.AsNoTracking().Where(t => t.Status == ConsentTextStatus.Published).ToListAsync(cancellationToken);
        }

        var now = clock.GetUtcNow();
        var valid = new List<ConsentImportRow>();
        var rejected = new List<ConsentImportRejection>();
        var count = 0;
        await foreach (var input in rows.WithCancellation(cancellationToken))
        {
            if (++count > maxRows)
            {
                return new ConsentImportBatch([], rejected, count, TooManyRows: true);
            }

            if (input is null)
            {
                rejected.Add(new ConsentImportRejection(count, "row: an object with phone, purpose, action, occurredAt, consentTextId or consentTextVersion, and source"));
            }
            else if (ConsentImportRules.TryValidate(count, input, defaultRegion, now, texts, purposeRegistry.Current, out var row, out var rejection))
            {
                valid.Add(row);
            }
            else
            {
                rejected.Add(rejection);
            }
        }

        return new ConsentImportBatch(ConsentImportRules.InApplyOrder(valid, rejected), rejected, count, TooManyRows: false);
    }

    /// <summary>
    /// Checks the batch against the ledger and, only if every row passes, records it in one transaction (with
    /// <paramref name="receipt"/>, e.g. the idempotency record, in the same commit).
    /// </summary>
    public async Task<ConsentImportReport> ImportAsync(ConsentImportBatch batch, string actor, Func<ConsentImportReport, IdempotencyRecord>? receipt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var batchId = Guid.CreateVersion7(clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // BEGIN IMMEDIATE: the checks below and the writes see the same ledger, and no other writer interleaves.
        var now = clock.GetUtcNow();
        await using var tx = await ledger.BeginAsync(db, now, cancellationToken);
        var phones = batch.Rows.Select(r => r.PhoneE164).Distinct().ToList();
        var holders = (await db.CustomerPhones.Where(p => p.ReplacedAt == null && phones.Contains(p.PhoneE164)).Select(p => new { p.PhoneE164, p.CustomerId }).ToListAsync(cancellationToken))
            .GroupBy(p => p.PhoneE164).ToDictionary(g => g.Key, g => g.Select(p => p.CustomerId).ToList());
        var holderIds = holders.Values.SelectMany(ids => ids).Distinct().ToList();
        var onRecord = await db.ConsentStates.Where(s => holderIds.Contains(s.CustomerId)).Select(s => new { s.CustomerId, s.Purpose, s.ChangedAt }).ToListAsync(cancellationToken);
        var lastChange = onRecord.ToDictionary(s => (s.CustomerId, s.Purpose), s => s.ChangedAt);

        var rejected = batch.Rejected.ToList();
        foreach (var row in batch.Rows)
        {
            if (holders.TryGetValue(row.PhoneE164, out var ids) && ids.Count > 1)
            {
                rejected.Add(new ConsentImportRejection(row.Row, $"phone: the current number of {ids.Count} customers, so whose consent this is cannot be told"));
            }
            else if (ids is [var id] && lastChange.TryGetValue((id, row.Purpose), out var changedAt) && row.OccurredAt <= changedAt)
            {
                // The ledger is in recorded order; an older record appended now would overturn a newer decision.
                rejected.Add(new ConsentImportRejection(row.Row, $"occurredAt: not after the {row.Purpose} decision already on record for this number ({changedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)})"));
            }
        }

        if (rejected.Count > 0)
        {
            // Disposing the transaction rolls it back: nothing of the batch is saved.
            LogRejected(batchId, batch.RowCount, rejected.Count);
            return new ConsentImportReport(batchId, batch.RowCount, 0, [], rejected.OrderBy(r => r.Row).ToList());
        }

        var (results, created) = await WriteAsync(db, tx.Writer, batch.Rows, actor, batchId, now, phones, holders, cancellationToken);
        var report = new ConsentImportReport(batchId, batch.RowCount, created, results.OrderBy(r => r.Row).ToList(), []);
        if (receipt is not null)
        {
            db.IdempotencyRecords.Add(receipt(report));
        }

        await tx.CommitAsync(cancellationToken);
        var recorded = results.Count(r => r.Outcome == ConsentImportRowOutcome.Recorded);
        LogImported(batchId, batch.RowCount, recorded, created, actor);
        return report;
    }

    private async Task<(List<ConsentImportRowResult> Results, int Created)> WriteAsync(
        PreferenceCenterDbContext db,
        ConsentLedgerWriter writer,
        IReadOnlyList<ConsentImportRow> rows,
        string actor,
        Guid batchId,
        DateTimeOffset now,
        List<string> phones,
        Dictionary<string, List<Guid>> holders,
        CancellationToken ct)
    {
        var keys = phones.ToDictionary(p => p, phoneIndex.KeyOf);
        var keyList = keys.Values.ToList();
        var suppressed = (await db.SmsSuppressions.Where(s => keyList.Contains(s.PhoneKey) && s.LiftedAt == null).Select(s => new { s.PhoneKey, s.Purpose }).ToListAsync(ct))
            .Select(s => (s.PhoneKey, s.Purpose)).ToHashSet();
        var customerOf = holders.ToDictionary(h => h.Key, h => h.Value[0]);
        var results = new List<ConsentImportRowResult>(rows.Count);
        var created = 0;
        foreach (var row in rows)
        {
            if (!customerOf.TryGetValue(row.PhoneE164, out var customerId))
            {
                if (row.Action == ConsentAction.Revoked)
                {
                    // Nothing on record to revoke: no customer is created for it.
                    results.Add(new ConsentImportRowResult(row.Row, null, row.PhoneE164, row.Purpose, row.Action, ConsentImportRowOutcome.Unchanged, null, false));
                    continue;
                }

                var customer = Customer.ForImport(now);
                db.Customers.Add(customer);
                db.CustomerPhones.Add(CustomerPhone.Imported(customer.Id, row.PhoneE164, now));
                customerOf[row.PhoneE164] = customerId = customer.Id;
                created++;
            }

            var evidence = new ConsentEvidence(ConsentMethod.Import, actor, row.IpAddress, row.UserAgent, row.Locale, $"import batch {batchId} from {row.Source}");
            var result = await writer.AppendAsync(customerId, row.Purpose, row.Action, row.PhoneE164, row.ConsentTextId, evidence, row.OccurredAt, ct);

            // The writer saved the new customer and number before the event; tracking them further only slows the batch.
            db.ChangeTracker.Clear();

            // An imported grant never lifts a STOP (the writer keeps it): recorded, and texts stay blocked.
            var stillSuppressed = row.Action == ConsentAction.Granted && suppressed.Contains((keys[row.PhoneE164], row.Purpose));
            results.Add(new ConsentImportRowResult(
                row.Row,
                customerId,
                row.PhoneE164,
                row.Purpose,
                row.Action,
                result.Event is null ? ConsentImportRowOutcome.Unchanged : ConsentImportRowOutcome.Recorded,
                result.Event?.Sequence,
                stillSuppressed));
        }

        return (results, created);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import batch {BatchId}: {Rows} rows, {Recorded} events recorded, {Created} customers created, by {Actor}")]
    private partial void LogImported(Guid batchId, int rows, int recorded, int created, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import batch {BatchId}: {Rows} rows, {Rejected} rejected; nothing saved")]
    private partial void LogRejected(Guid batchId, int rows, int rejected);
}
