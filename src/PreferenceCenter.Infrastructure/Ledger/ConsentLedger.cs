using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PreferenceCenter.Infrastructure.Observability;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Ledger;

/// <summary>
/// The one way into the consent log. Every consent write (web, SMS, staff, import, erasure, re-confirmation, number
/// changes) appends through a <see cref="ConsentLedgerWriter"/> handed out here, and every committed append is counted
/// here, once.
/// </summary>
/// <remarks>
/// Two doors onto the same writer, because two kinds of caller exist:
/// <list type="bullet">
/// <item><see cref="AppendAsync{T}"/>: a change that is only consent events (the customer's own clicks, the API). It
/// runs on one connection kept open for it with its statements compiled once (ADR 0015): concurrent circuits queue
/// here, in order, instead of sleeping in SQLite's busy handler.</item>
/// <item><see cref="BeginAsync"/>: a flow that also changes other rows (an inbound text, a verification, an
/// erasure, an import) and must commit them with its events or not at all. It gets a write transaction on its own EF
/// context, with the writer on that connection.</item>
/// </list>
/// Both meet other writers (another process or instance) at the database's write lock (SQLite's, or PostgreSQL's
/// advisory lock, ADR 0018), so the chain stays linear.
/// </remarks>
public sealed class ConsentLedger(IDbContextFactory<PreferenceCenterDbContext> dbFactory, TimeProvider clock, PhoneIndex phoneIndex, PreferenceCenterMetrics metrics) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DbConnection? _connection;
    private LedgerSql? _sql;
    private LedgerColumns? _dialect;
    private bool _disposed;

    /// <summary>Runs <paramref name="append"/> in one write transaction of its own, committed when it returns, rolled back if it throws.</summary>
    internal async Task<T> AppendAsync<T>(Func<ConsentLedgerWriter, Task<T>> append, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(append);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var sql = await OpenAsync(cancellationToken);

            // The write lock is taken before the chain head is read.
            await using var transaction = await _dialect!.BeginWriteAsync(_connection!, cancellationToken);
            sql.Transaction = transaction;
            try
            {
                var writer = new ConsentLedgerWriter(sql, clock.GetUtcNow(), phoneIndex, db: null);
                var result = await append(writer);
                await transaction.CommitAsync(cancellationToken);
                Committed(writer);
                return result;
            }
            finally
            {
                sql.Transaction = null;
            }
        }
        catch (DbException)
        {
            // A connection in an unknown state is not reused; the next append opens a fresh one.
            await CloseAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Begins a write transaction on <paramref name="db"/> whose <see cref="LedgerTransaction.Writer"/> appends on the
    /// same connection. <see cref="LedgerTransaction.CommitAsync"/> saves the context's changes and commits them with
    /// the events; disposing without committing rolls everything back.
    /// </summary>
    internal async Task<LedgerTransaction> BeginAsync(PreferenceCenterDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sql = new LedgerSql(db.Database.GetDbConnection(), LedgerColumns.For(db.Database), prepare: false) { Transaction = transaction.GetDbTransaction() };
        return new LedgerTransaction(db, transaction, new ConsentLedgerWriter(sql, now, phoneIndex, db), this);
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            await CloseAsync();
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    /// <summary>The one place appended events are counted: after their transaction committed, so a rollback never is.</summary>
    internal void Committed(ConsentLedgerWriter writer) => metrics.ConsentsRecorded(writer.Appended);

    private async Task<LedgerSql> OpenAsync(CancellationToken cancellationToken)
    {
        if (_sql is not null)
        {
            return _sql;
        }

        string connectionString;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            connectionString = db.Database.GetConnectionString() ?? throw new InvalidOperationException("The database has no connection string.");
            _dialect = LedgerColumns.For(db.Database);
        }

        _connection = await _dialect.OpenAsync(connectionString, cancellationToken);
        return _sql = new LedgerSql(_connection, _dialect, prepare: true);
    }

    private async Task CloseAsync()
    {
        if (_sql is not null)
        {
            await _sql.DisposeAsync();
            _sql = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}

/// <summary>
/// A flow's write transaction with the consent log in it (<see cref="ConsentLedger.BeginAsync"/>): the flow's own rows
/// and the events it appends commit together or not at all.
/// </summary>
internal sealed class LedgerTransaction(PreferenceCenterDbContext db, IDbContextTransaction transaction, ConsentLedgerWriter writer, ConsentLedger ledger) : IAsyncDisposable
{
    public ConsentLedgerWriter Writer { get; } = writer;

    /// <summary>Saves the context's changes, commits them with the appended events, and counts the events.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        ledger.Committed(Writer);
    }

    /// <summary>Without a commit, rolls back: the events go with everything else and are not counted.</summary>
    public ValueTask DisposeAsync() => transaction.DisposeAsync();
}
