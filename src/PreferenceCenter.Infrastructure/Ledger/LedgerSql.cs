using System.Data.Common;

namespace PreferenceCenter.Infrastructure.Ledger;

/// <summary>
/// Runs the ledger's statements on one connection, in one provider's dialect. With <c>prepare</c> each statement is
/// compiled once and kept for the connection's life: on SQLite compiling the append's statements costs ten times
/// running them (PostgreSQL keeps them as server-side prepared statements).
/// </summary>
internal sealed class LedgerSql(DbConnection connection, LedgerColumns dialect, bool prepare) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _prepared = [];
    private readonly Dictionary<int, string> _publishedTextHashes = [];

    public LedgerColumns Dialect => dialect;

    public DbTransaction? Transaction { get; set; }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var (command, owned) = Command(sql, parameters);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            if (owned)
            {
                await command.DisposeAsync();
            }
        }
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var (command, owned) = Command(sql, parameters);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        finally
        {
            if (owned)
            {
                await command.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The SHA-256 of a published consent text, read from <paramref name="row"/> the first time and remembered for
    /// this connection: a published version can never be changed or deleted (the database's triggers refuse it), so
    /// its hash is the same for every event sealed under it. Only call it for a row the statement found published.
    /// </summary>
    public string PublishedTextSha256(int textId, DbDataReader row, int labelOrdinal, int bodyOrdinal)
    {
        if (!_publishedTextHashes.TryGetValue(textId, out var sha256))
        {
            sha256 = Domain.Consents.ConsentText.Sha256Of(row.GetString(labelOrdinal), row.GetString(bodyOrdinal));
            _publishedTextHashes[textId] = sha256;
        }

        return sha256;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _prepared.Values)
        {
            await command.DisposeAsync();
        }

        _prepared.Clear();
    }

    private (DbCommand Command, bool Owned) Command(string sql, (string Name, object? Value)[] parameters)
    {
        if (_prepared.TryGetValue(sql, out var command))
        {
            // A statement's parameters always come in the same order: set by position, no lookup by name.
            command.Transaction = Transaction;
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return (command, false);
        }

        command = connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = dialect.ParameterName(name);
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        if (!prepare)
        {
            return (command, true);
        }

        command.Prepare();
        _prepared[sql] = command;
        return (command, false);
    }
}
