using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PreferenceCenter.Infrastructure.Persistence;

/// <summary>
/// PostgreSQL's stand-in for SQLite's one write lock (ADR 0018). On SQLite every transaction the app begins is
/// BEGIN IMMEDIATE, and code relies on that: the ledger's append reads the chain head, the webhook dispatcher picks
/// rows to lease, the checkpointer reads the head it signs. On PostgreSQL (READ COMMITTED, many instances) every
/// transaction EF begins takes the same transaction-scoped advisory lock first, so those read-then-write steps stay
/// serialised across every instance; the ledger appender takes it on its own connection too.
/// </summary>
internal sealed class PostgresWriteLock : DbTransactionInterceptor
{
    /// <summary>The advisory lock's key: "PrefCent" in ASCII, so it is recognisable in <c>pg_locks</c>.</summary>
    public const long Key = 0x50726566_43656E74;

    public static readonly string Sql = FormattableString.Invariant($"SELECT pg_advisory_xact_lock({Key})");

    private PostgresWriteLock()
    {
    }

    public static PostgresWriteLock Instance { get; } = new();

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.Transaction = result;
        command.CommandText = Sql;
        command.ExecuteNonQuery();
        return result;
    }

    public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = result;
        command.CommandText = Sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return result;
    }
}

/// <summary>How PostgreSQL keeps an instant.</summary>
internal static class PostgresInstant
{
    /// <summary>timestamptz keeps microseconds, in UTC: an instant sealed or signed must be the one read back.</summary>
    public static DateTimeOffset Stored(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }
}
