using Microsoft.Data.Sqlite;

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// The write baseline: a table as wide as ConsentEvents (same columns and indexes) written with plain
/// Microsoft.Data.Sqlite, one prepared INSERT per BEGIN IMMEDIATE … COMMIT, on one open connection. No EF Core, no
/// projection, no hashing: what any durable append on this machine costs at least.
/// </summary>
public sealed class RawEventTable : IDisposable
{
    /// <summary>The app's settings (WAL is stored in the file; the others are per connection, see SqliteDurabilityInterceptor).</summary>
    public const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;";

    private const string Schema = """
        CREATE TABLE RawEvents (
            Id TEXT NOT NULL PRIMARY KEY, Sequence INTEGER NOT NULL, CustomerId TEXT NOT NULL, PhoneE164 TEXT NOT NULL,
            Purpose TEXT NOT NULL, Action TEXT NOT NULL, OccurredAt INTEGER NOT NULL, RecordedAt INTEGER NOT NULL,
            Method TEXT NOT NULL, Actor TEXT NOT NULL, IpAddress TEXT NULL, UserAgent TEXT NULL, Locale TEXT NULL,
            Reason TEXT NULL, ConsentTextId INTEGER NOT NULL, TextSha256 TEXT NULL, Origin TEXT NULL, EncodingVersion INTEGER NOT NULL,
            PersonalDigest TEXT NULL, PreviousHash TEXT NULL, Hash TEXT NULL);
        CREATE UNIQUE INDEX IX_RawEvents_Sequence ON RawEvents (Sequence);
        CREATE INDEX IX_RawEvents_CustomerId_Sequence ON RawEvents (CustomerId, Sequence);
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly string _customer = Guid.NewGuid().ToString("D");
    private readonly string _hex = new('a', 64);
    private long _sequence;

    public RawEventTable(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute(Pragmas);
        Execute(Schema);
        _insert = _connection.CreateCommand();
        _insert.CommandText = """
            INSERT INTO RawEvents VALUES ($id, $seq, $customer, '+447700900101', 'AccountAlerts', $action, $at, $at, 'web',
                $actor, '203.0.113.7', 'Mozilla/5.0 (X11; Linux x86_64) BenchmarkBrowser/1.0', 'en-GB', NULL, 1, $hex,
                'https://prefs.example.test', 2, $hex, $hex, $hex);
            """;
        foreach (var name in new[] { "$id", "$seq", "$customer", "$action", "$at", "$actor", "$hex" })
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _insert.Prepare();
    }

    /// <summary>One durable append: BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), INSERT, COMMIT.</summary>
    public void InsertOne()
    {
        using var tx = _connection.BeginTransaction();
        _insert.Transaction = tx;
        var sequence = ++_sequence;
        _insert.Parameters[0].Value = Guid.CreateVersion7().ToString("D");
        _insert.Parameters[1].Value = sequence;
        _insert.Parameters[2].Value = _customer;
        _insert.Parameters[3].Value = (sequence & 1) == 1 ? "Granted" : "Revoked";
        _insert.Parameters[4].Value = DateTimeOffset.UtcNow.UtcTicks;
        _insert.Parameters[5].Value = $"customer:{_customer}";
        _insert.Parameters[6].Value = _hex;
        _insert.ExecuteNonQuery();
        tx.Commit();
    }

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
