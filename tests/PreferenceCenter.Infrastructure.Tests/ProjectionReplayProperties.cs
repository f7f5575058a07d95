using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Ledger;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>
/// Random histories through the real service on a real database (SQLite and PostgreSQL): grants, revokes, number changes and pairs of
/// writes racing each other. After every step the stored projection must equal a replay of the stored ledger.
/// </summary>
public class ProjectionReplayProperties
{
    private enum Step
    {
        Grant,
        Revoke,
        RevokeAll,
        ChangeNumber,
        Race,
    }

    private static Gen<(Step Step, int Customer, Purpose Purpose, Purpose Other)[]> Histories() =>
        Gen.ArrayOf(
            from step in Gen.Frequency((4, Gen.Constant(Step.Grant)), (3, Gen.Constant(Step.Revoke)), (1, Gen.Constant(Step.RevokeAll)), (1, Gen.Constant(Step.ChangeNumber)), (2, Gen.Constant(Step.Race)))
            from customer in Gen.Choose(0, 1)
            from purpose in Gen.Elements(PurposeCatalog.Default.All.ToArray())
            from other in Gen.Elements(PurposeCatalog.Default.All.ToArray())
            select (step, customer, purpose, other));

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task ProjectionEqualsReplay_AfterEveryStep_WhenGivenRandomHistories(TestProvider provider)
    {
        // Send caps are another feature's concern; here they would only cut a long random history short.
        await using var database = await TestDatabase.CreateAsync(provider, new()
        {
            ["Verification:MaxSendsPerPrefixPerHour"] = "10000",
            ["Verification:MaxSendsPerIpPerHour"] = "10000",
            ["Verification:MaxSendsPerCustomerPerHour"] = "100",
            ["Verification:ResendCooldownSeconds"] = "0",
        });
        var numbers = 200;
        foreach (var history in Histories().Sample(12, 8))
        {
            database.Clock.Advance(TimeSpan.FromHours(1));
            var customers = new[] { await database.CreateVerifiedCustomerAsync(Number(numbers++)), await database.CreateVerifiedCustomerAsync(Number(numbers++)) };
            for (var i = 0; i < history.Length; i++)
            {
                var (step, who, purpose, other) = history[i];
                var customer = customers[who];
                database.Clock.Advance(TimeSpan.FromSeconds(i % 3 == 0 ? 0 : 7));
                switch (step)
                {
                    case Step.ChangeNumber:
                        var number = Number(numbers++);
                        var code = await database.SendCodeAndReadItAsync(customer, number);
                        Assert.Equal(VerifyOutcome.Verified, (await database.Verification.VerifyAsync(customer, code, TestDatabase.Evidence(customer))).Outcome);
                        break;
                    case Step.Race:
                        // Two tabs at once: the writes serialise and the chain stays linear.
                        await Task.WhenAll(ChangeAsync(database, customer, purpose, granted: true), ChangeAsync(database, customer, other, granted: purpose != other));
                        break;
                    case Step.RevokeAll:
                        await database.Consents.RevokeAllAsync(customer, new Dictionary<Purpose, int>(), TestDatabase.Evidence(customer));
                        break;
                    default:
                        await ChangeAsync(database, customer, purpose, granted: step == Step.Grant);
                        break;
                }

                await AssertProjectionEqualsReplayAsync(database, customers, $"history {string.Join(", ", history)} at step {i}");
            }
        }

        await using var db = await database.OpenAsync();
        Assert.True((await LedgerVerifier.VerifyAsync(db)).Intact);
    }

    private static string Number(int n) => PhoneNumber.FromE164($"+447700900{n:000}").E164;

    private static Task<ConsentChangeResult> ChangeAsync(TestDatabase database, Guid customer, Purpose purpose, bool granted)
    {
        var textId = purpose == Purpose.AccountAlerts ? 1 : 2;
        var evidence = TestDatabase.Evidence(customer);
        return granted ? database.Consents.GrantAsync(customer, purpose, textId, evidence) : database.Consents.RevokeAsync(customer, purpose, textId, evidence);
    }

    private static async Task AssertProjectionEqualsReplayAsync(TestDatabase database, Guid[] customers, string context)
    {
        await using var db = await database.OpenAsync();
        var states = await db.ConsentStates.AsNoTracking().Where(s => customers.Contains(s.CustomerId)).ToListAsync();
        var now = database.Clock.GetUtcNow();
        foreach (var customer in customers)
        {
            foreach (var purpose in PurposeCatalog.Default.All)
            {
                var answer = await database.Consents.ConsentAtAsync(customer, purpose, now);
                var state = states.SingleOrDefault(s => s.CustomerId == customer && s.Purpose == purpose);
                Assert.True(
                    answer.Granted == (state?.Granted ?? false) && answer.DecidingEvent?.Sequence == state?.LastSequence && answer.DecidingEvent?.PhoneE164 == state?.PhoneE164,
                    $"{context}: {purpose} projection {state?.Granted}/#{state?.LastSequence} but replay {answer.Granted}/#{answer.DecidingEvent?.Sequence}");
            }
        }
    }
}
