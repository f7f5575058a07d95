using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Ledger;

namespace PreferenceCenter.Infrastructure.Tests;

public class LedgerEvidenceTests
{
    private static ConsentEvidence Evidence(Guid customer) => TestDatabase.Evidence(customer) with { Origin = "https://prefs.example.com" };

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Grant_RecordsTheTextHashAndOrigin_InTheSealedEvent(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();

        var e = (await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, Evidence(customer))).Event!;

        await using var db = await database.OpenAsync();
        var text = await db.ConsentTexts.SingleAsync(t => t.Id == 2);
        var stored = await db.ConsentEvents.SingleAsync(x => x.Id == e.Id);
        Assert.Equal((text.TextSha256, "https://prefs.example.com", LedgerEncoding.Version), (stored.TextSha256, stored.Origin, stored.EncodingVersion));
        Assert.Contains($"text_sha256={text.TextSha256}\n", System.Text.Encoding.UTF8.GetString(LedgerEncoding.Canonical(stored, stored.PersonalDigest!, stored.PreviousHash!)), StringComparison.Ordinal);
        Assert.True((await LedgerVerifier.VerifyAsync(db)).Intact);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_NamesTheEvent_WhenItsTextHashIsForged(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, Evidence(customer));
        var e = (await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, Evidence(customer))).Event!;

        await using var db = await database.OpenAsync();
        await database.DisableAppendOnlyTriggersAsync(db);
        await db.Database.ExecuteSqlAsync($"""UPDATE "ConsentEvents" SET "TextSha256" = {new string('a', 64)} WHERE "Sequence" = {e.Sequence}""");

        var report = await LedgerVerifier.VerifyAsync(db);
        Assert.Equal((false, e.Sequence), (report.Intact, report.BrokenAt));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task RecordTextsShown_KeepsOneImpressionPerVersion_WhenThePageIsOpenedAgain(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();

        await Task.WhenAll(database.Consents.RecordTextsShownAsync(customer, [1, 2], Evidence(customer)), database.Consents.RecordTextsShownAsync(customer, [1, 2], Evidence(customer)));
        database.Clock.Advance(TimeSpan.FromDays(1));
        await database.Consents.RecordTextsShownAsync(customer, [1, 2], Evidence(customer));

        await using var db = await database.OpenAsync();
        var shown = await db.ConsentTextImpressions.Where(i => i.CustomerId == customer).OrderBy(i => i.ConsentTextId).ToListAsync();
        Assert.Equal([1, 2], shown.Select(i => i.ConsentTextId));
        Assert.All(shown, i => Assert.Equal(("web", "https://prefs.example.com", database.Clock.GetUtcNow().AddDays(-1)), (i.Method, i.Origin, i.ShownAt)));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Impressions_RefuseUpdates_AtTheDatabaseLevel(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.RecordTextsShownAsync(customer, [1], Evidence(customer));

        await using var db = await database.OpenAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("""DELETE FROM "ConsentTextImpressions";"""));
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task ConsentAt_AnswersFromTheLedger_WithTheDecidingEvent(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        var before = database.Clock.GetUtcNow();
        database.Clock.Advance(TimeSpan.FromMinutes(5));
        var grant = (await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, Evidence(customer))).Event!;
        database.Clock.Advance(TimeSpan.FromHours(2));
        var revoke = (await database.Consents.RevokeAsync(customer, Purpose.Promotions, 2, Evidence(customer))).Event!;

        var atStart = await database.Consents.ConsentAtAsync(customer, Purpose.Promotions, before);
        var inBetween = await database.Consents.ConsentAtAsync(customer, Purpose.Promotions, grant.RecordedAt.AddHours(1));
        var now = await database.Consents.ConsentAtAsync(customer, Purpose.Promotions, database.Clock.GetUtcNow());

        Assert.Equal((false, (long?)null), (atStart.Granted, atStart.DecidingEvent?.Sequence));
        Assert.Equal((true, (long?)grant.Sequence), (inBetween.Granted, inBetween.DecidingEvent?.Sequence));
        Assert.Equal((false, (long?)revoke.Sequence), (now.Granted, now.DecidingEvent?.Sequence));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Receipt_IsSelfConsistent_AndOnlyForTheCustomersOwnEvents(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        var stranger = await database.CreateVerifiedCustomerAsync("+447700900124");
        var e = (await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, Evidence(customer))).Event!;
        await database.Consents.GrantAsync(stranger, Purpose.Promotions, 2, Evidence(stranger));

        var receipt = await database.Consents.GetReceiptAsync(customer, e.Sequence);
        var theirs = await database.Consents.GetReceiptAsync(stranger, e.Sequence);

        Assert.NotNull(receipt);
        Assert.Null(theirs);
        Assert.True(receipt.SelfConsistent);
        Assert.Equal(e.Hash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(receipt.CanonicalText))));
        Assert.Equal((e.Sequence + 1, 2), (receipt.HeadSequence, receipt.Text.Id));
    }
}
