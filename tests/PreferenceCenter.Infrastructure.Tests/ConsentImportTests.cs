using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>Imported customers (ADR 13) on a real SQLite file: how they meet verification and STOP.</summary>
public sealed class ConsentImportTests
{
    private const string Imported = "+447700900400";
    private const string Actor = "integration:test";

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verification_MovesANewAccountOntoTheImportedCustomer_WhenTheAccountVerifiesTheImportedNumber(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var report = await ImportAsync(database, Grant("07700 900400", Purpose.Promotions));
        var importedId = report.Accepted[0].CustomerId!.Value;
        var events = await EventCountAsync(database);

        var account = await database.CreateCustomerAsync();
        var code = await database.SendCodeAndReadItAsync(account, Imported);
        var verified = await database.Verification.VerifyAsync(account, code, TestDatabase.Evidence(account));

        Assert.Equal(VerifyOutcome.Verified, verified.Outcome);
        await using var db = await database.OpenAsync();
        var shell = await db.Customers.SingleAsync(c => c.Id == account);
        var adopted = await db.Customers.SingleAsync(c => c.Id == importedId);
        Assert.Equal((null, importedId), (shell.UserId, shell.MovedTo));
        Assert.NotNull(adopted.UserId);
        Assert.Equal(importedId, await database.Services.GetRequiredService<ICustomerDirectory>().GetOrCreateForUserAsync(adopted.UserId));
        Assert.Equal(Imported, (await database.Verification.GetCurrentNumberAsync(importedId))?.PhoneE164);
        Assert.False(await db.CustomerPhones.AnyAsync(p => p.CustomerId == importedId && p.ReplacedAt == null && p.IsImported));
        Assert.True((await database.Consents.GetStatesAsync(importedId)).Single(s => s.Purpose == Purpose.Promotions).Granted);
        Assert.Equal(events, await EventCountAsync(database));
        Assert.True((await LedgerVerifier.VerifyAsync(db)).Intact);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verification_RevokesTheImportedGrants_WhenACustomerWithHistoryVerifiesTheImportedNumber(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var existing = await database.CreateVerifiedCustomerAsync("+447700900401");
        await database.Consents.GrantAsync(existing, Purpose.AccountAlerts, 1, TestDatabase.Evidence(existing));
        var importedId = (await ImportAsync(database, Grant(Imported, Purpose.Promotions))).Accepted[0].CustomerId!.Value;

        var code = await database.SendCodeAndReadItAsync(existing, Imported);
        Assert.Equal(VerifyOutcome.Verified, (await database.Verification.VerifyAsync(existing, code, TestDatabase.Evidence(existing))).Outcome);

        // What the verified owner sees is what governs texts to the number: nothing is left granted behind their back.
        Assert.False(await database.Services.GetRequiredService<ISmsGateway>().CanSendAsync(Imported, Purpose.Promotions));
        await using var db = await database.OpenAsync();
        var retired = await db.ConsentEvents.Where(e => e.CustomerId == importedId).OrderBy(e => e.Sequence).LastAsync();
        Assert.Equal((ConsentAction.Revoked, ConsentMethod.System, ConsentReasons.NumberVerifiedByAnotherCustomer), (retired.Action, retired.Method, retired.Reason));
        Assert.False(await db.CustomerPhones.AnyAsync(p => p.CustomerId == importedId && p.ReplacedAt == null));
        Assert.Null((await db.Customers.SingleAsync(c => c.Id == importedId)).UserId);
        Assert.True((await LedgerVerifier.VerifyAsync(db)).Intact);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Stop_RevokesImportedConsent_WhenTheImportedNumberTextsIt(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var importedId = (await ImportAsync(database, Grant(Imported, Purpose.Promotions))).Accepted[0].CustomerId!.Value;

        await database.Services.GetRequiredService<InboundSmsService>().HandleAsync(new InboundSmsRequest("SM-import-1", Imported, "+447700900002", "STOPALL"));

        Assert.False((await database.Consents.GetStatesAsync(importedId)).Single(s => s.Purpose == Purpose.Promotions).Granted);
        Assert.False(await database.Services.GetRequiredService<ISmsGateway>().CanSendAsync(Imported, Purpose.Promotions));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Import_CreatesNoCustomer_WhenARevokeNamesANumberWithNothingOnRecord(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var report = await ImportAsync(database, Grant(Imported, Purpose.Promotions) with { Action = "Revoked" });

        var row = Assert.Single(report.Accepted);
        Assert.Equal((ConsentImportRowOutcome.Unchanged, (Guid?)null), (row.Outcome, row.CustomerId));
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.Customers.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Import_RejectsTheRowAndSavesNothing_WhenTwoCustomersHoldTheNumber(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.CreateVerifiedCustomerAsync(Imported);
        var second = await database.CreateVerifiedCustomerAsync("+447700900499");

        // Proving a number now releases it from anyone else (ADR 23); two holders remain possible in data from before that.
        await using (var db = await database.OpenAsync())
        {
            await db.CustomerPhones.Where(p => p.CustomerId == second).ExecuteUpdateAsync(p => p.SetProperty(x => x.PhoneE164, Imported), TestContext.Current.CancellationToken);
        }

        var events = await EventCountAsync(database);

        var report = await ImportAsync(database, Grant("+447700900409", Purpose.Promotions), Grant(Imported, Purpose.Promotions));

        Assert.False(report.Saved);
        Assert.Equal(2, Assert.Single(report.Rejected).Row);
        Assert.Contains("2 customers", report.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Equal(events, await EventCountAsync(database));
    }

    private static ConsentImportInput Grant(string phone, Purpose purpose) =>
        new(phone, purpose.ToString(), "Granted", "2025-01-02T03:04:05Z", purpose == Purpose.Promotions ? 2 : 1, null, null, "CRM", null, null);

    private static async Task<ConsentImportReport> ImportAsync(TestDatabase database, params ConsentImportInput[] rows)
    {
        var importer = database.Services.GetRequiredService<ConsentImporter>();
        var batch = await importer.ReadAsync(rows.ToAsyncEnumerable(), "GB", 100);
        return await importer.ImportAsync(batch, Actor);
    }

    private static async Task<int> EventCountAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return await db.ConsentEvents.CountAsync();
    }
}
