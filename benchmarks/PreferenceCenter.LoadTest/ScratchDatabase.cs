using Npgsql;

namespace PreferenceCenter.LoadTest;

/// <summary>
/// A database of its own for one measurement: SQLite's file lives in the run's temp folder (no connection string);
/// on PostgreSQL a fresh database is created on the given server and dropped afterwards, so runs never share rows.
/// </summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string? _server;
    private readonly string? _name;

    private ScratchDatabase(string? server, string? name, string? connectionString)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
    }

    /// <summary>Null for SQLite: the app's default file in the data folder.</summary>
    public string? ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string provider, string? postgresServer)
    {
        if (!string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            return new ScratchDatabase(null, null, null);
        }

        var server = postgresServer ?? throw new InvalidOperationException("PostgreSQL needs --postgres \"Host=…;Username=…\".");
        var name = $"pc_load_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new ScratchDatabase(server, name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
