using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Infrastructure.Observability;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Ledger;

/// <summary>
/// The consent service's appends, on one connection kept open for them with its statements compiled once
/// (ADR 0015). Appends from concurrent circuits queue here, in order, instead of sleeping in SQLite's busy handler;
/// reads never wait for it (WAL readers use their own connections), and other writers (SMS keywords, erasure, another
/// process or instance) still meet it at the database's write lock (SQLite's, or PostgreSQL's advisory lock, ADR
/// 0018), so the chain stays linear.
/// </summary>
internal sealed class LedgerAppender(IDbContextFactory<PreferenceCenterDbContext> dbFactory, LedgerColumns dialect, TimeProvider clock, PhoneIndex phoneIndex, PreferenceCenterMetrics metrics) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DbConnection? _connection;
    private LedgerSql? _sql;
    private bool _disposed;

    /// <summary>Runs <paramref name="append"/> in one write transaction, committed when it returns, rolled back if it throws.</summary>
    public async Task<T> AppendAsync<T>(Func<ConsentLedgerWriter, Task<T>> append, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(append);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var sql = await OpenAsync(cancellationToken);

            // The write lock is taken before the chain head is read.
            await using var transaction = await dialect.BeginWriteAsync(_connection!, cancellationToken);
            sql.Transaction = transaction;
            try
            {
                var writer = new ConsentLedgerWriter(sql, clock.GetUtcNow(), phoneIndex);
                var result = await append(writer);
                await transaction.CommitAsync(cancellationToken);
                metrics.ConsentsRecorded(writer.Appended);
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
        }

        _connection = await dialect.OpenAsync(connectionString, cancellationToken);
        return _sql = new LedgerSql(_connection, dialect, prepare: true);
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
