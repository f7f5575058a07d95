using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Infrastructure.ConsentTexts;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>Publishing consent-text versions (#10): immutability, editorial vs material, keep/withdraw, stats.</summary>
public sealed class ConsentTextVersionTests
{
    internal const int AlertsV1 = 1;
    internal const int PromotionsV1 = 2;

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task PublishedVersion_RawSqlUpdateAndDeleteRefused_WhenLabelBodyKindOrStatusWouldChange(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var v2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Editorial, "Promotions", "Offers by text, at most 4 a month.");
        await using var db = await database.OpenAsync();

        foreach (var set in new[] { "\"Label\" = 'x'", "\"Body\" = 'x'", "\"Kind\" = 'Material'", "\"Status\" = 'Draft'", "\"ReconfirmBy\" = \"PublishedAt\"" })
        {
            var ex = await Assert.ThrowsAnyAsync<DbException>(() => RawSqlAsync(db, $"UPDATE \"ConsentTexts\" SET {set} WHERE \"Id\" = {v2.Id}"));
            Assert.Contains("immutable", ex.Message, StringComparison.Ordinal);
        }

        await Assert.ThrowsAnyAsync<DbException>(() => RawSqlAsync(db, $"DELETE FROM \"ConsentTexts\" WHERE \"Id\" = {v2.Id}"));
        var stored = await db.ConsentTexts.AsNoTracking().SingleAsync(t => t.Id == v2.Id);
        Assert.Equal(("Offers by text, at most 4 a month.", ConsentTextKind.Editorial, ConsentTextStatus.Published, 2), (stored.Body, stored.Kind, stored.Status, stored.Version));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task PublishedVersion_DbContextAndEntityRefuseEdits_WhileADraftMayBeEditedAndDiscarded(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var admin = database.Services.GetRequiredService<ConsentTextAdmin>();
        var draft = await admin.CreateDraftAsync(Draft(Purpose.Promotions, ConsentTextKind.Editorial, "Promotions", "First wording."), "admin@example.test");
        await admin.UpdateDraftAsync(draft.Id, Draft(Purpose.Promotions, ConsentTextKind.Editorial, "Promotions", "Second wording."), "admin@example.test");

        await using (var db = await database.OpenAsync())
        {
            // Raw SQL may change a draft too: only published rows are protected.
            await RawSqlAsync(db, $"UPDATE \"ConsentTexts\" SET \"Body\" = 'Third wording.' WHERE \"Id\" = {draft.Id}");
            Assert.Equal("Third wording.", (await db.ConsentTexts.AsNoTracking().SingleAsync(t => t.Id == draft.Id)).Body);
        }

        var published = await admin.PublishAsync(draft.Id, "admin@example.test");
        Assert.Throws<InvalidOperationException>(() => published.EditDraft(Draft(Purpose.Promotions, ConsentTextKind.Editorial, "Promotions", "Sneaky."), database.Clock.GetUtcNow(), PurposeCatalog.Default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => admin.UpdateDraftAsync(draft.Id, Draft(Purpose.Promotions, ConsentTextKind.Editorial, "Promotions", "Sneaky."), "admin@example.test"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => admin.DiscardDraftAsync(draft.Id, "admin@example.test"));
        await using (var db = await database.OpenAsync())
        {
            var tracked = await db.ConsentTexts.SingleAsync(t => t.Id == draft.Id);
            db.Entry(tracked).Property(t => t.Body).CurrentValue = "Sneaky.";
            await Assert.ThrowsAsync<AppendOnlyViolationException>(() => db.SaveChangesAsync());
        }

        var other = await admin.CreateDraftAsync(Draft(Purpose.AccountAlerts, ConsentTextKind.Editorial, "Account alerts", "Draft to throw away."), "admin@example.test");
        await admin.DiscardDraftAsync(other.Id, "admin@example.test");
        await using var check = await database.OpenAsync();
        Assert.False(await check.ConsentTexts.AnyAsync(t => t.Id == other.Id));
        Assert.Equal("Third wording.", (await check.ConsentTexts.SingleAsync(t => t.Id == draft.Id)).Body);
    }

    [Fact]
    public async Task Publish_NeverEditsTheOlderVersion_AndNumbersVersionsPerPurposeAndLanguage()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var before = await database.OpenAsync();
        var v1 = await before.ConsentTexts.AsNoTracking().SingleAsync(t => t.Id == PromotionsV1);

        var v2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "Offers and news, up to 8 a month.");
        var es2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Editorial, "Promociones", "Ofertas por SMS.", language: "es");

        await using var db = await database.OpenAsync();
        var after = await db.ConsentTexts.AsNoTracking().SingleAsync(t => t.Id == PromotionsV1);
        Assert.Equal((v1.Label, v1.Body, v1.Version, v1.PublishedAt), (after.Label, after.Body, after.Version, after.PublishedAt));

        // Spanish has its own version 1 (seeded), so its next is 2 as well: numbered per purpose and language.
        Assert.Equal((2, 2), (v2.Version, es2.Version));
        Assert.Equal(v2.Id, (await database.Consents.GetCurrentTextsAsync("en")).Single(t => t.Purpose == Purpose.Promotions).Id);
    }

    [Fact]
    public async Task Grant_RefusedAsUnknownText_WhenItPointsAtADraft()
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync();
        var draft = await database.Services.GetRequiredService<ConsentTextAdmin>().CreateDraftAsync(Draft(Purpose.Promotions, ConsentTextKind.Editorial, "Promotions", "Not yet."), "admin@example.test");

        var result = await database.Consents.GrantAsync(customer, Purpose.Promotions, draft.Id, TestDatabase.Evidence(customer));

        Assert.Equal(ConsentChangeOutcome.UnknownText, result.Outcome);
        Assert.DoesNotContain(await database.Consents.GetCurrentTextsAsync("en"), t => t.Id == draft.Id);
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.ConsentEvents.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task ConsentEventsTrigger_RefusesAnEventAgainstADraft_WhateverWritesIt(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(customer));
        var draft = await database.Services.GetRequiredService<ConsentTextAdmin>().CreateDraftAsync(Draft(Purpose.Promotions, ConsentTextKind.Editorial, "Promotions", "Not yet."), "admin@example.test");
        await using var db = await database.OpenAsync();
        var postgres = provider == TestProvider.Postgres;
        var columns = (await db.Database.SqlQueryRaw<string>(postgres
                ? "SELECT column_name AS \"Value\" FROM information_schema.columns WHERE table_name = 'ConsentEvents' ORDER BY ordinal_position"
                : "SELECT name AS \"Value\" FROM pragma_table_info('ConsentEvents')").ToListAsync())
            .Select(c => c switch
            {
                "Id" => postgres ? "gen_random_uuid()" : "'copy'",
                "Sequence" => "\"Sequence\" + 1",
                "ConsentTextId" => draft.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => $"\"{c}\"",
            });

        var ex = await Assert.ThrowsAnyAsync<DbException>(() => RawSqlAsync(db, $"INSERT INTO \"ConsentEvents\" SELECT {string.Join(", ", columns)} FROM \"ConsentEvents\""));

        Assert.Contains("published text version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editorial_AsksNobody_AndNewSignUpsGetTheNewText()
    {
        await using var database = await TestDatabase.CreateAsync(ConsentTextJobTests.Settings);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(customer));

        var v2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Editorial, "Promotions", "Offers, new products and event invitations by text, at most 4 messages a month.");

        Assert.Empty(await Pending(database).ForCustomerAsync(customer));
        Assert.Equal(v2.Id, (await database.Consents.GetCurrentTextsAsync("en")).Single(t => t.Purpose == Purpose.Promotions).Id);
        var run = await database.Services.GetRequiredService<ReconfirmationJob>().RunOnceAsync(CancellationToken.None);
        Assert.Equal((0, 0), (run.Lapsed, run.Notified));
        var state = (await database.Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions);
        Assert.Equal((true, PromotionsV1), (state.Granted, state.ConsentTextId));
    }

    [Fact]
    public async Task Material_Keep_IsAGrantUnderTheNewVersionWithTheCustomersEvidence()
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, AlertsV1, TestDatabase.Evidence(customer));
        var v2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "Offers and partner deals by text, up to 8 messages a month.", summary: "Up to 8 texts a month, and partner deals.");

        var pending = Assert.Single(await Pending(database).ForCustomerAsync(customer));
        Assert.Equal((PromotionsV1, v2.Id, "Up to 8 texts a month, and partner deals."), (pending.ConsentedTo.Id, pending.Latest.Id, Assert.Single(pending.Summaries)));

        var evidence = TestDatabase.Evidence(customer) with { Origin = "https://prefs.example" };
        var kept = await Pending(database).KeepAsync(customer, pending, evidence);

        Assert.Equal(ConsentChangeOutcome.Changed, kept.Outcome);
        var e = kept.Event!;
        Assert.Equal((ConsentAction.Granted, v2.Id, v2.TextSha256, ConsentReasons.KeptAfterChange), (e.Action, e.ConsentTextId, e.TextSha256, e.Reason));
        Assert.Equal((ConsentMethod.Web, $"customer:{customer}", "203.0.113.7", "TestBrowser/1.0", "en-GB", "https://prefs.example"), (e.Method, e.Actor, e.IpAddress, e.UserAgent, e.Locale, e.Origin));
        Assert.Equal("+447700900123", e.PhoneE164);
        Assert.Empty(await Pending(database).ForCustomerAsync(customer));
        var state = (await database.Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions);
        Assert.Equal((true, v2.Id), (state.Granted, state.ConsentTextId));

        // A second "keep" (another tab) logs nothing.
        Assert.Equal(ConsentChangeOutcome.Unchanged, (await Pending(database).KeepAsync(customer, pending, evidence)).Outcome);
        var history = await database.Consents.GetHistoryAsync(customer);
        Assert.Equal(3, history.Count);
        Assert.Equal((2, ConsentReasons.KeptAfterChange), (history[0].TextVersion, history[0].Reason));
    }

    [Fact]
    public async Task Material_Withdraw_IsARevokeUnderTheNewVersion()
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(customer));
        var v2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "Offers and partner deals by text.");
        var pending = Assert.Single(await Pending(database).ForCustomerAsync(customer));

        var withdrawn = await Pending(database).WithdrawAsync(customer, pending, TestDatabase.Evidence(customer));

        var e = withdrawn.Event!;
        Assert.Equal((ConsentAction.Revoked, v2.Id, v2.TextSha256, ConsentReasons.WithdrawnAfterChange, ConsentMethod.Web), (e.Action, e.ConsentTextId, e.TextSha256, e.Reason, e.Method));
        Assert.Empty(await Pending(database).ForCustomerAsync(customer));
        Assert.False((await database.Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions).Granted);
    }

    [Fact]
    public async Task Material_AsksOnlyCustomersUnderAnOlderVersionOfTheSameLanguage()
    {
        await using var database = await TestDatabase.CreateAsync();
        var english = await database.CreateVerifiedCustomerAsync("+447700900301");
        var spanish = await database.CreateVerifiedCustomerAsync("+447700900302");
        var es1 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promociones", "Ofertas por SMS.", language: "es");
        await database.Consents.GrantAsync(english, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(english));
        await database.Consents.GrantAsync(spanish, Purpose.Promotions, es1.Id, TestDatabase.Evidence(spanish));

        await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "More offers.");
        var late = await database.CreateVerifiedCustomerAsync("+447700900303");
        var current = (await database.Consents.GetCurrentTextsAsync("en")).Single(t => t.Purpose == Purpose.Promotions);
        await database.Consents.GrantAsync(late, Purpose.Promotions, current.Id, TestDatabase.Evidence(late));

        Assert.Single(await Pending(database).ForCustomerAsync(english));
        Assert.Empty(await Pending(database).ForCustomerAsync(spanish));
        Assert.Empty(await Pending(database).ForCustomerAsync(late));
    }

    [Fact]
    public async Task Admin_BadInput_GivesAMessagePerFieldAndSavesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var admin = database.Services.GetRequiredService<ConsentTextAdmin>();
        var before = (await admin.ListAsync()).Count;

        var ex = await Assert.ThrowsAsync<ConsentTextDraftException>(() => admin.CreateDraftAsync(
            new ConsentTextDraft(Purpose.AccountAlerts, "en", ConsentTextKind.Material, "  ", new string('x', ConsentText.MaxBodyLength + 1), null, database.Clock.GetUtcNow().AddDays(7)),
            "admin@example.test"));

        Assert.Equal(["Body", "ChangeSummary", "Label", "ReconfirmBy"], ex.Errors.Keys.Order());
        Assert.Contains("never lapse", ex.Errors["ReconfirmBy"], StringComparison.Ordinal);
        await admin.CreateDraftAsync(Draft(Purpose.Promotions, ConsentTextKind.Editorial, "Promotions", "One draft."), "admin@example.test");
        var second = await Assert.ThrowsAsync<ConsentTextDraftException>(() => admin.CreateDraftAsync(Draft(Purpose.Promotions, ConsentTextKind.Editorial, "Promotions", "Another."), "admin@example.test"));
        Assert.Contains("already a draft", second.Errors["Purpose"], StringComparison.Ordinal);
        await using var db = await database.OpenAsync();
        Assert.Equal(before + 1, await db.ConsentTexts.CountAsync());
    }

    [Fact]
    public async Task Publish_RefusedWithAMessage_WhenTheDeadlineHasPassedMeanwhile()
    {
        await using var database = await TestDatabase.CreateAsync();
        var admin = database.Services.GetRequiredService<ConsentTextAdmin>();
        var draft = await admin.CreateDraftAsync(Draft(Purpose.Promotions, ConsentTextKind.Material, "Promotions", "More.", "More texts.", database.Clock.GetUtcNow().AddDays(1)), "admin@example.test");
        database.Clock.Advance(TimeSpan.FromDays(2));

        var ex = await Assert.ThrowsAsync<ConsentTextDraftException>(() => admin.PublishAsync(draft.Id, "admin@example.test"));

        Assert.Contains("future", ex.Errors["ReconfirmBy"], StringComparison.Ordinal);
        await using var db = await database.OpenAsync();
        Assert.Equal(ConsentTextStatus.Draft, (await db.ConsentTexts.SingleAsync(t => t.Id == draft.Id)).Status);
    }

    [Fact]
    public async Task Stats_CountKeptWithdrewLapsedNotAnsweredAndAgreedPerVersion()
    {
        await using var database = await TestDatabase.CreateAsync(ConsentTextJobTests.Settings);
        var customers = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var c = await database.CreateVerifiedCustomerAsync($"+44770090040{i}");
            await database.Consents.GrantAsync(c, Purpose.Promotions, PromotionsV1, TestDatabase.Evidence(c));
            customers.Add(c);
        }

        var v2 = await PublishAsync(database, Purpose.Promotions, ConsentTextKind.Material, "Promotions", "More offers.", deadline: database.Clock.GetUtcNow().AddDays(30));
        var pending = Pending(database);
        await pending.KeepAsync(customers[0], (await pending.ForCustomerAsync(customers[0]))[0], TestDatabase.Evidence(customers[0]));
        await pending.KeepAsync(customers[1], (await pending.ForCustomerAsync(customers[1]))[0], TestDatabase.Evidence(customers[1]));
        await pending.WithdrawAsync(customers[2], (await pending.ForCustomerAsync(customers[2]))[0], TestDatabase.Evidence(customers[2]));
        var newcomer = await database.CreateVerifiedCustomerAsync("+447700900499");
        await database.Consents.GrantAsync(newcomer, Purpose.Promotions, v2.Id, TestDatabase.Evidence(newcomer));

        var before = (await database.Services.GetRequiredService<ConsentTextAdmin>().GetStatsAsync()).Single(s => s.Text.Id == v2.Id);
        Assert.Equal((2, 1, 0, 2, 3), (before.Kept, before.Withdrew, before.Lapsed, before.NotAnswered, before.AgreedNow));

        database.Clock.Advance(TimeSpan.FromDays(31));
        await database.Services.GetRequiredService<ReconfirmationJob>().RunOnceAsync(CancellationToken.None);
        var after = (await database.Services.GetRequiredService<ConsentTextAdmin>().GetStatsAsync()).Single(s => s.Text.Id == v2.Id);
        Assert.Equal((2, 1, 2, 0, 3), (after.Kept, after.Withdrew, after.Lapsed, after.NotAnswered, after.AgreedNow));
        var v1 = (await database.Services.GetRequiredService<ConsentTextAdmin>().GetStatsAsync()).Single(s => s.Text.Id == PromotionsV1);
        Assert.Equal((0, 0), (v1.NotAnswered, v1.AgreedNow));
    }

    internal static ConsentTextDraft Draft(Purpose purpose, ConsentTextKind kind, string label, string body, string? summary = null, DateTimeOffset? deadline = null, string language = "en") =>
        new(purpose, language, kind, label, body, summary ?? (kind == ConsentTextKind.Material ? "What changed." : null), deadline);

    internal static async Task<ConsentText> PublishAsync(TestDatabase database, Purpose purpose, ConsentTextKind kind, string label, string body, string? summary = null, DateTimeOffset? deadline = null, string language = "en")
    {
        var admin = database.Services.GetRequiredService<ConsentTextAdmin>();
        var draft = await admin.CreateDraftAsync(Draft(purpose, kind, label, body, summary, deadline, language), "admin@example.test");
        return await admin.PublishAsync(draft.Id, "admin@example.test");
    }

    /// <summary>SQL a test builds on purpose, as an attacker with database access would send it.</summary>
    internal static Task<int> RawSqlAsync(PreferenceCenterDbContext db, string sql) => db.Database.ExecuteSqlRawAsync(sql);

    private static PendingChanges Pending(TestDatabase database) => database.Services.GetRequiredService<PendingChanges>();
}
