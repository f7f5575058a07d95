using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Observability;

/// <summary>
/// Counts consent events appended inside a caller's EF transaction (SMS keywords, number changes, erasure, imports)
/// when that transaction commits, so a rolled-back import is never counted.
/// </summary>
internal sealed class ConsentMetricsInterceptor(PreferenceCenterMetrics metrics) : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData, commit: true);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData, commit: true);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData, commit: false);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData, commit: false);
        return Task.CompletedTask;
    }

    private void Flush(TransactionEndEventData eventData, bool commit)
    {
        if (eventData.Context is not PreferenceCenterDbContext db || db.ConsentEventsAppended.Count == 0)
        {
            return;
        }

        if (commit)
        {
            metrics.ConsentsRecorded(db.ConsentEventsAppended);
        }

        db.ConsentEventsAppended.Clear();
    }
}
