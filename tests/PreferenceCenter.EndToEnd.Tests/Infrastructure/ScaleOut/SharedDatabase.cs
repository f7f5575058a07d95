using PreferenceCenter.Testing;

namespace PreferenceCenter.EndToEnd.Tests.Infrastructure.ScaleOut;

/// <summary>
/// The one database every instance of a scaled-out test shares, as configuration. This is the single switch for the
/// provider: one SQLite file (several processes on a single host) or a PostgreSQL database (several hosts).
/// </summary>
public sealed class SharedDatabase : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owned;

    private SharedDatabase(string provider, IReadOnlyDictionary<string, string?> settings, IAsyncDisposable? owned)
    {
        Provider = provider;
        Settings = settings;
        _owned = owned;
    }

    public string Provider { get; }

    /// <summary>Configuration every instance gets: the provider, its connection string and the shared secrets.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>One SQLite file in a temp folder (WAL lets both processes read while one writes).</summary>
    public static SharedDatabase Sqlite()
    {
        var folder = new TempDataFolder("scale-out-db");
        var settings = new Dictionary<string, string?>(SharedSecrets.Create())
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:PreferenceCenter"] = $"Data Source={folder.DatabasePath}",
        };
        return new SharedDatabase("Sqlite", settings, new Owned(folder));
    }

    /// <summary>A fresh database on the test run's PostgreSQL cluster (.ci/postgres.sh).</summary>
    public static async Task<SharedDatabase> PostgresAsync()
    {
        var database = await PostgresTestCluster.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>(SharedSecrets.Create())
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:PreferenceCenter"] = database.ConnectionString,
        };
        return new SharedDatabase("Postgres", settings, database);
    }

    public static Task<SharedDatabase> CreateAsync(string provider) => provider == "Postgres" ? PostgresAsync() : Task.FromResult(Sqlite());

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;

    private sealed class Owned(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
