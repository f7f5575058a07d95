using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PreferenceCenter.Infrastructure.Persistence;

/// <summary>
/// Per-connection SQLite settings. Unlike WAL they are not stored in the file, and pooled connections come back as
/// their last user left them, so they are applied on every open (see ADR 0008).
/// </summary>
internal sealed class SqliteDurabilityInterceptor : DbConnectionInterceptor
{
    /// <summary>
    /// synchronous=FULL: in WAL mode a commit fsyncs the log before it returns, so a change the user saw confirmed
    /// survives power loss or an OS crash; NORMAL may lose the last commits. Set explicitly because the default
    /// depends on how SQLite was compiled. busy_timeout: a writer queued for the write lock (BEGIN IMMEDIATE) retries
    /// inside SQLite, first after a few milliseconds, before Microsoft.Data.Sqlite's 150 ms retry loop takes over.
    /// secure_delete=ON: erased or replaced data is overwritten with zeros, not left readable in free space (ADR 0009).
    /// </summary>
    internal const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;";

    private SqliteDurabilityInterceptor()
    {
    }

    public static SqliteDurabilityInterceptor Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await ConfigureAsync(connection, cancellationToken);
    }

    /// <summary>Applies <see cref="Pragmas"/>; also for the ledger appender's connection, which EF never opens.</summary>
    internal static async Task ConfigureAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
