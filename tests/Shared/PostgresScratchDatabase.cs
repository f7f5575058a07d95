using Npgsql;

namespace PreferenceCenter.Testing;

/// <summary>
/// A new, empty database on a PostgreSQL server, dropped (connections and all) on dispose: each test, and each
/// load-tool measurement, gets its own, so runs never share rows.
/// </summary>
public sealed class PostgresScratchDatabase : IAsyncDisposable
{
    private readonly string _server;

    private PostgresScratchDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public string Name { get; }

    /// <param name="server">An Npgsql connection string of a user that may create databases.</param>
    /// <param name="prefix">The new database's name before a random suffix.</param>
    public static async Task<PostgresScratchDatabase> CreateAsync(string server, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new PostgresScratchDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
