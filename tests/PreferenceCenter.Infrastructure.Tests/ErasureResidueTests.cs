using System.Data.Common;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Ledger;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>
/// "Delete my account and data" leaves none of it anywhere (ADR 0027): not in the stored API answers, not in an
/// agent's typed reason, not in the sign-in account, and, on SQLite, not in the bytes of the database, its WAL or
/// its shared-memory index. The ledger still verifies, old-version events included.
/// </summary>
public sealed class ErasureResidueTests
{
    private const string Number = "+447700900456";
    private const string Email = "bob@example.com";
    private const string TypedReason = "caller 07700 900456 bob@example.com";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly StaffMember Agent = new("agent-user-id", "agent@example.test", "198.51.100.9");

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task EraseForUser_LeavesNoNumberEmailOrPasswordHash_InAnyTableOrDatabaseFile(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync(Number, Email);
        var bystander = await database.CreateVerifiedCustomerAsync("+447700900124");
        var (userId, passwordHash) = await SetPasswordAsync(database, customer);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        var answer = await ImportWithIdempotencyKeyAsync(database, "07700 900456", "07700 900124");
        Assert.Contains("\\u002B447700900456", answer, StringComparison.Ordinal);
        await database.StaffConsole.RevokeOnBehalfAsync(customer, Purpose.Promotions, RevocationChannel.PhoneCall, TypedReason, Agent);
        await database.StaffConsole.RevokeOnBehalfAsync(bystander, Purpose.AccountAlerts, RevocationChannel.PhoneCall, "bystander called", Agent);
        await using (var db = await database.OpenAsync())
        {
            Assert.Contains(await db.ConsentEvents.Select(e => e.Reason).ToListAsync(), r => r != null && r.Contains("07700 900456", StringComparison.Ordinal));
        }

        var report = await database.Services.GetRequiredService<ICustomerErasure>().EraseForUserAsync(userId);

        Assert.Equal(customer, report?.CustomerId);
        await using (var db = await database.OpenAsync())
        {
            Assert.False(await db.Users.AnyAsync(u => u.Id == userId));
            var reasons = await db.ConsentEvents.Where(e => e.CustomerId == customer).Select(e => e.Reason).ToListAsync();
            Assert.DoesNotContain(reasons, r => r != null && r.Contains("07700", StringComparison.Ordinal));
            Assert.Contains(ConsentReasons.AccountDeleted, reasons);
            Assert.Contains(await db.ConsentEvents.Where(e => e.CustomerId == bystander).Select(e => e.Reason).ToListAsync(), r => r != null && r.StartsWith("bystander called", StringComparison.Ordinal));
            var stored = await db.IdempotencyRecords.SingleAsync();
            Assert.DoesNotContain("7700900456", stored.ResponseJson, StringComparison.Ordinal);
            Assert.Contains("7700900124", stored.ResponseJson, StringComparison.Ordinal);
            var verified = await LedgerVerifier.VerifyAsync(db);
            Assert.True(verified.Intact, verified.Summary);
        }

        if (provider == TestProvider.Sqlite)
        {
            // Pooled connections closed: what is on disk (file, WAL, shared-memory index) is all there is.
            SqliteConnection.ClearAllPools();
            var raw = RawText(database.DatabasePath);
            string[] forms = [Number, "07700900456", "7700900456", "07700 900456", "\\u002B447700900456", Email, Email.ToUpperInvariant(), passwordHash];
            Assert.All(forms, form => Assert.DoesNotContain(form, raw, StringComparison.Ordinal));
            Assert.Contains("7700900124", raw, StringComparison.Ordinal);
        }
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Erase_KeepsOlderVersionEventsVerifying_AndTheTriggerRefusesBlankingTheirReasons(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        await AppendVersion2EventAsync(database, customer, "note written before version 3");
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, TestDatabase.Evidence(customer));
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal([3, 2, 3], await db.ConsentEvents.OrderBy(e => e.Sequence).Select(e => e.EncodingVersion).ToListAsync());
            var before = await LedgerVerifier.VerifyAsync(db);
            Assert.True(before.Intact, before.Summary);

            var oldReason = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("""UPDATE "ConsentEvents" SET "PhoneE164" = '', "IpAddress" = NULL, "UserAgent" = NULL, "Reason" = NULL WHERE "EncodingVersion" = 2"""));
            Assert.Contains("append-only", oldReason.Message, StringComparison.Ordinal);
        }

        await database.Services.GetRequiredService<ICustomerErasure>().EraseAsync(customer);

        await using var after = await database.OpenAsync();
        var report = await LedgerVerifier.VerifyAsync(after);
        Assert.True(report.Intact, report.Summary);
        Assert.Equal(5L, report.Events);
        Assert.Equal("note written before version 3", await after.ConsentEvents.Where(e => e.EncodingVersion == 2).Select(e => e.Reason).SingleAsync());
        var machine = await Assert.ThrowsAnyAsync<DbException>(() => after.Database.ExecuteSqlRawAsync("""UPDATE "ConsentEvents" SET "Reason" = NULL WHERE "Reason" = 'account deleted'"""));
        Assert.Contains("append-only", machine.Message, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_ReportsPersonalFields_WhenATypedReasonIsEditedWhileTheKeyExists(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync(Number);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        await database.StaffConsole.RevokeOnBehalfAsync(customer, Purpose.Promotions, RevocationChannel.PhoneCall, TypedReason, Agent);
        await using var db = await database.OpenAsync();
        await database.DisableAppendOnlyTriggersAsync(db);

        await db.Database.ExecuteSqlRawAsync("""UPDATE "ConsentEvents" SET "Reason" = 'customer asked nicely' WHERE "Sequence" = 2""");

        var report = await LedgerVerifier.VerifyAsync(db);
        Assert.Equal((false, 2L), (report.Intact, report.BrokenAt));
        Assert.Contains("personal fields", report.Reason, StringComparison.Ordinal);
    }

    private static async Task<(string UserId, string PasswordHash)> SetPasswordAsync(TestDatabase database, Guid customer)
    {
        await using var db = await database.OpenAsync();
        var userId = await db.Customers.Where(c => c.Id == customer).Select(c => c.UserId!).SingleAsync();
        var user = await db.Users.SingleAsync(u => u.Id == userId);
        user.PasswordHash = new PasswordHasher<ApplicationUser>().HashPassword(user, "correct horse battery staple");
        await db.SaveChangesAsync();
        return (userId, user.PasswordHash);
    }

    /// <summary>An import as <c>POST /api/v1/import</c> stores it with an Idempotency-Key: the answer as JSON, "+" escaped.</summary>
    private static async Task<string> ImportWithIdempotencyKeyAsync(TestDatabase database, params string[] phones)
    {
        var importer = database.Services.GetRequiredService<ConsentImporter>();
        var rows = phones.Select(p => new ConsentImportInput(p, "AccountAlerts", "Granted", "2025-01-02T03:04:05Z", 1, null, null, "CRM", null, null));
        var batch = await importer.ReadAsync(rows.ToAsyncEnumerable(), "GB", 100);
        string? json = null;
        var report = await importer.ImportAsync(batch, "integration:test", r => new IdempotencyRecord
        {
            IntegrationId = Guid.NewGuid(),
            Key = "batch-0001",
            Request = "POST /import sha256:0",
            StatusCode = 200,
            ResponseJson = json = JsonSerializer.Serialize(r, Json),
            CreatedAt = database.Clock.GetUtcNow(),
        });
        Assert.True(report.Saved);
        return json!;
    }

    /// <summary>An event as the app wrote it before encoding version 3: its typed reason is in the hashed bytes.</summary>
    private static async Task AppendVersion2EventAsync(TestDatabase database, Guid customer, string reason)
    {
        await using var db = await database.OpenAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        var head = await db.ConsentEvents.OrderByDescending(e => e.Sequence).FirstAsync();
        var key = await db.CustomerLedgerKeys.Where(k => k.CustomerId == customer).Select(k => k.Key).SingleAsync();
        var columns = LedgerColumns.For(db.Database);
        var at = columns.Stored(database.Clock.GetUtcNow());
        var e = ConsentEvent.Create(head.Sequence + 1, customer, Number, Purpose.AccountAlerts, ConsentAction.Revoked, at, 1, new ConsentEvidence(ConsentMethod.Agent, "agent:old", null, null, null, reason));
        e.UseLegacyEncoding(2);
        e.Seal(key, head.Hash!);
        await using var sql = new LedgerSql(db.Database.GetDbConnection(), columns, prepare: false) { Transaction = tx.GetDbTransaction() };
        await sql.ExecuteAsync(columns.InsertEvent, TestContext.Current.CancellationToken, columns.EventParameters(e));
        await tx.CommitAsync();
    }

    private static string RawText(string databasePath)
    {
        var text = new StringBuilder();
        foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            text.Append(Encoding.Latin1.GetString(memory.ToArray()));
        }

        return text.ToString();
    }
}
