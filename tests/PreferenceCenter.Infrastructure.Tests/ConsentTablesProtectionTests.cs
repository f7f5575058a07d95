using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>
/// Each provider's Initial migration writes its append-only rules out by hand, in its own SQL dialect. These tests
/// probe what the two trigger sets actually refuse, column by column, so a rule added to one provider only fails here.
/// </summary>
public sealed partial class ConsentTablesProtectionTests
{
    private static readonly string[] ProtectedTables = ["ConsentEvents", "ConsentTexts", "ConsentTextImpressions", "AccessRecords", "LedgerCheckpoints"];

    [Fact]
    public async Task AppendOnlyTriggers_GuardTheSameTablesAndOperations_OnBothProviders()
    {
        var sqlite = await TriggeredOperationsAsync(TestProvider.Sqlite);
        var postgres = await TriggeredOperationsAsync(TestProvider.Postgres);

        string[] expected =
        [
            "AccessRecords DELETE", "AccessRecords UPDATE",
            "ConsentEvents DELETE", "ConsentEvents INSERT", "ConsentEvents UPDATE",
            "ConsentTextImpressions DELETE", "ConsentTextImpressions UPDATE",
            "ConsentTexts DELETE", "ConsentTexts UPDATE",
            "LedgerCheckpoints DELETE", "LedgerCheckpoints UPDATE",
        ];
        Assert.Equal(expected, sqlite);
        Assert.Equal(expected, postgres);
    }

    [Fact]
    public async Task AppendOnlyTriggers_RefuseAChangeToEveryColumnAndEveryDelete_OnBothProviders()
    {
        var sqlite = await ProbeAsync(TestProvider.Sqlite);
        var postgres = await ProbeAsync(TestProvider.Postgres);

        Assert.Equal(sqlite.Columns.Keys.Order(StringComparer.Ordinal), postgres.Columns.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(sqlite.Allowed);
        Assert.Empty(postgres.Allowed);
        Assert.True(sqlite.Columns.Count > 40, $"only {sqlite.Columns.Count} columns probed");
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task ConsentEvents_AcceptOnlyTheErasureUpdate_WhenAnAgentTypedTheReason(TestProvider provider)
    {
        await using var database = await SeededAsync(provider);
        await using var db = await database.OpenAsync();
        const string Typed = "WHERE \"Reason\" LIKE '%ref 4411%'";

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var erased = await db.Database.ExecuteSqlRawAsync($"UPDATE \"ConsentEvents\" SET \"PhoneE164\" = '', \"IpAddress\" = NULL, \"UserAgent\" = NULL, \"Reason\" = NULL {Typed}");
            Assert.Equal(1, erased);
            await tx.RollbackAsync();
        }

        // The reason alone, or the personal fields to anything but their erased values, stays refused.
        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync($"UPDATE \"ConsentEvents\" SET \"Reason\" = NULL {Typed}"));
        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync($"UPDATE \"ConsentEvents\" SET \"PhoneE164\" = '', \"IpAddress\" = NULL, \"UserAgent\" = 'x' {Typed}"));
    }

    private static async Task<string[]> TriggeredOperationsAsync(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = await database.OpenAsync();
        var rows = await QueryAsync(db, provider == TestProvider.Postgres
            ? "SELECT event_object_table, event_manipulation FROM information_schema.triggers"
            : "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'");
        return [.. rows
            .Select(r => $"{r[0]} {(provider == TestProvider.Postgres ? r[1] : TriggerEvent().Match(r[1]).Groups[1].Value)}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    private sealed record Probe(Dictionary<string, bool> Columns)
    {
        public IEnumerable<string> Allowed => Columns.Where(c => !c.Value).Select(c => c.Key);
    }

    /// <summary>For every column of every protected table: does changing it on an existing row fail? And deleting the row?</summary>
    private static async Task<Probe> ProbeAsync(TestProvider provider)
    {
        await using var database = await SeededAsync(provider);
        await using var db = await database.OpenAsync();
        var refused = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var table in ProtectedTables)
        {
            // Published texts are frozen; drafts may change, so probe a published one.
            var where = table == "ConsentTexts" ? "WHERE \"Status\" = 'Published'" : table == "ConsentEvents" ? "WHERE \"Reason\" IS NOT NULL" : string.Empty;
            Assert.True(await CountAsync(db, table, where) > 0, $"{table} has no row to probe");
            foreach (var (column, type) in await ColumnsAsync(db, provider, table))
            {
                refused[$"{table}.{column}"] = await FailsAsync(db, $"UPDATE \"{table}\" SET \"{column}\" = {Different(column, type)} {where}");
            }

            refused[$"{table} DELETE"] = await FailsAsync(db, $"DELETE FROM \"{table}\" {where}");
        }

        return new Probe(refused);
    }

    /// <summary>A database with a row in each protected table, including an agent's revocation with a typed reason.</summary>
    private static async Task<TestDatabase> SeededAsync(TestProvider provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.RecordTextsShownAsync(customer, [2], TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        await database.StaffConsole.RevokeOnBehalfAsync(customer, Purpose.Promotions, RevocationChannel.PhoneCall, "caller asked, ref 4411", new StaffMember("agent-id", "agent@example.test", "198.51.100.9"));
        await database.Services.GetRequiredService<LedgerCheckpointer>().CheckpointAsync();
        return database;
    }

    // An expression that yields another value of the column's own type (one character fits any varchar), in both dialects.
    private static string Different(string column, string type) => type.ToUpperInvariant() switch
    {
        var t when t.Contains("CHAR", StringComparison.Ordinal) || t.Contains("TEXT", StringComparison.Ordinal) => $"CASE WHEN \"{column}\" = 'y' THEN 'z' ELSE 'y' END",
        "INTEGER" or "BIGINT" or "SMALLINT" or "NUMERIC" or "REAL" => $"COALESCE(\"{column}\", 0) + 1",
        "UUID" => "gen_random_uuid()",
        var t when t.StartsWith("TIMESTAMP", StringComparison.Ordinal) => $"COALESCE(\"{column}\", now()) + interval '1 second'",
        "BOOLEAN" => $"NOT COALESCE(\"{column}\", FALSE)",
        "BYTEA" => "'\\x00'::bytea",
        "BLOB" => "X'00'",
        _ => throw new InvalidOperationException($"No probe for {column} of type {type}"),
    };

    private static async Task<bool> FailsAsync(PreferenceCenterDbContext db, string sql)
    {
        await using var tx = await db.Database.BeginTransactionAsync();
        try
        {
            await db.Database.ExecuteSqlRawAsync(sql);
            return false;
        }
        catch (DbException ex)
        {
            // Only the ledger's own rules count: a probe that breaks on a type or a key would hide a missing trigger.
            Assert.Matches("append-only|published version", ex.Message);
            return true;
        }
        finally
        {
            await tx.RollbackAsync();
        }
    }

    private static async Task<List<(string Name, string Type)>> ColumnsAsync(PreferenceCenterDbContext db, TestProvider provider, string table)
    {
        var rows = await QueryAsync(db, provider == TestProvider.Postgres
            ? $"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{table}'"
            : $"SELECT name, type FROM pragma_table_info('{table}')");
        return [.. rows.Select(r => (r[0], r[1]))];
    }

    private static async Task<long> CountAsync(PreferenceCenterDbContext db, string table, string where) =>
        long.Parse((await QueryAsync(db, $"SELECT COUNT(*) FROM \"{table}\" {where}"))[0][0], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<List<string[]>> QueryAsync(PreferenceCenterDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)]);
        }

        return rows;
    }

    [GeneratedRegex(@"BEFORE\s+(INSERT|UPDATE|DELETE)\s+ON", RegexOptions.IgnoreCase)]
    private static partial Regex TriggerEvent();
}
