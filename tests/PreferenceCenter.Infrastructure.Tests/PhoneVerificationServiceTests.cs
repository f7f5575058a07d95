using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;

namespace PreferenceCenter.Infrastructure.Tests;

public sealed class PhoneVerificationServiceTests
{
    private const string Number = "+447700900123";

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task SendCode_WritesSixDigitCodeToOutbox_AndStoresOnlyAHash(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateCustomerAsync();

        var result = await database.Verification.SendCodeAsync(customer, PhoneNumber.FromE164(Number));

        Assert.True(result.Sent);
        Assert.Equal(database.Clock.GetUtcNow().AddMinutes(10), result.ExpiresAt);
        var code = await database.LatestCodeToAsync(Number);
        Assert.Matches("^[0-9]{6}$", code);
        await using var db = await database.OpenAsync();
        var challenge = await db.VerificationChallenges.SingleAsync();
        Assert.Equal(32, challenge.CodeHash.Length);
        Assert.DoesNotContain(code, Convert.ToHexString(challenge.CodeHash), StringComparison.Ordinal);
        Assert.DoesNotContain(code, System.Text.Encoding.ASCII.GetString(challenge.CodeHash), StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_MakesNumberCurrent_WhenCodeIsRight(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateCustomerAsync();
        var code = await database.SendCodeAndReadItAsync(customer, Number);

        var result = await database.Verification.VerifyAsync(customer, $" {code[..3]} {code[3..]} ", TestDatabase.Evidence(customer));

        Assert.Equal(VerifyOutcome.Verified, result.Outcome);
        Assert.Equal(Number, (await database.Verification.GetCurrentNumberAsync(customer))?.PhoneE164);
        Assert.Null(await database.Verification.GetPendingAsync(customer));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_LocksTheCode_AfterFiveWrongAttempts(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateCustomerAsync();
        var code = await database.SendCodeAndReadItAsync(customer, Number);
        var wrong = code == "000000" ? "111111" : "000000";

        var outcomes = new List<VerifyCodeResult>();
        for (var i = 0; i < 5; i++)
        {
            outcomes.Add(await database.Verification.VerifyAsync(customer, wrong, TestDatabase.Evidence(customer)));
        }

        Assert.Equal([4, 3, 2, 1], outcomes.Take(4).Select(o => o.AttemptsLeft));
        Assert.All(outcomes.Take(4), o => Assert.Equal(VerifyOutcome.WrongCode, o.Outcome));
        Assert.Equal(VerifyOutcome.TooManyAttempts, outcomes[4].Outcome);
        var withRightCode = await database.Verification.VerifyAsync(customer, code, TestDatabase.Evidence(customer));
        Assert.Equal(VerifyOutcome.TooManyAttempts, withRightCode.Outcome);
        Assert.Null(await database.Verification.GetCurrentNumberAsync(customer));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_SaysExpired_AfterTenMinutes(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateCustomerAsync();
        var code = await database.SendCodeAndReadItAsync(customer, Number);

        database.Clock.Advance(TimeSpan.FromMinutes(10));
        var result = await database.Verification.VerifyAsync(customer, code, TestDatabase.Evidence(customer));

        Assert.Equal(VerifyOutcome.Expired, result.Outcome);
        Assert.Null(await database.Verification.GetCurrentNumberAsync(customer));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_AcceptsOnlyTheNewestCode_WhenANewOneWasSent(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateCustomerAsync();
        var first = await database.SendCodeAndReadItAsync(customer, Number);
        database.Clock.Advance(TimeSpan.FromSeconds(31));
        var second = await database.SendCodeAndReadItAsync(customer, Number);

        if (first != second)
        {
            Assert.Equal(VerifyOutcome.WrongCode, (await database.Verification.VerifyAsync(customer, first, TestDatabase.Evidence(customer))).Outcome);
        }

        Assert.Equal(VerifyOutcome.Verified, (await database.Verification.VerifyAsync(customer, second, TestDatabase.Evidence(customer))).Outcome);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task SendCode_RefusesWithCooldown_WithinThirtySeconds(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateCustomerAsync();
        await database.SendCodeAndReadItAsync(customer, Number);

        database.Clock.Advance(TimeSpan.FromSeconds(12));
        var refused = await database.Verification.SendCodeAsync(customer, PhoneNumber.FromE164(Number));
        database.Clock.Advance(TimeSpan.FromSeconds(18));
        var allowed = await database.Verification.SendCodeAsync(customer, PhoneNumber.FromE164(Number));

        Assert.Equal((SendRefusal.Cooldown, TimeSpan.FromSeconds(18)), (refused.Decision.Refusal, refused.Decision.RetryAfter));
        Assert.True(allowed.Sent);
        await using var db = await database.OpenAsync();
        Assert.Equal(2, await db.SmsOutbox.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task SendCode_HasNoCooldown_AfterTheLastCodeWasUsed(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123");
        database.Clock.Advance(TimeSpan.FromSeconds(5));

        var toNewNumber = await database.Verification.SendCodeAsync(customer, PhoneNumber.FromE164("+447700900124"));
        var again = await database.Verification.SendCodeAsync(customer, PhoneNumber.FromE164("+447700900124"));

        Assert.True(toNewNumber.Sent);
        Assert.Equal(SendRefusal.Cooldown, again.Decision.Refusal);
    }

    [Fact]
    public async Task SendCode_RefusesPerNumberCap_AcrossCustomers()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Verification:MaxSendsPerNumberPerHour"] = "3" });
        for (var i = 0; i < 3; i++)
        {
            await database.SendCodeAndReadItAsync(await database.CreateCustomerAsync(), Number);
            database.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var refused = await database.Verification.SendCodeAsync(await database.CreateCustomerAsync(), PhoneNumber.FromE164(Number));

        Assert.Equal(SendRefusal.NumberHourlyCap, refused.Decision.Refusal);
        database.Clock.Advance(refused.Decision.RetryAfter);
        Assert.True((await database.Verification.SendCodeAsync(await database.CreateCustomerAsync(), PhoneNumber.FromE164(Number))).Sent);
    }

    [Fact]
    public async Task SendCode_RefusesPerCustomerCap_AcrossNumbers()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Verification:MaxSendsPerCustomerPerHour"] = "2" });
        var customer = await database.CreateCustomerAsync();
        await database.SendCodeAndReadItAsync(customer, "+447700900101");
        database.Clock.Advance(TimeSpan.FromMinutes(1));
        await database.SendCodeAndReadItAsync(customer, "+447700900102");
        database.Clock.Advance(TimeSpan.FromMinutes(1));

        var refused = await database.Verification.SendCodeAsync(customer, PhoneNumber.FromE164("+447700900103"));

        Assert.Equal(SendRefusal.CustomerHourlyCap, refused.Decision.Refusal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_RevokesConsentsOfOldNumber_WhenCustomerChangesNumber(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123");
        var evidence = TestDatabase.Evidence(customer);
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, evidence);
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, evidence);
        database.Clock.Advance(TimeSpan.FromMinutes(5));

        var code = await database.SendCodeAndReadItAsync(customer, "+447700900999");
        var result = await database.Verification.VerifyAsync(customer, code, evidence);

        Assert.Equal((VerifyOutcome.Verified, 2), (result.Outcome, result.ConsentsRevoked));
        Assert.Equal("+447700900999", (await database.Verification.GetCurrentNumberAsync(customer))?.PhoneE164);
        Assert.All(await database.Consents.GetStatesAsync(customer), s => Assert.False(s.Granted));
        var revocations = (await database.Consents.GetHistoryAsync(customer)).Where(h => h.Action == ConsentAction.Revoked).ToList();
        Assert.Equal(2, revocations.Count);
        Assert.All(revocations, r => Assert.Equal((ConsentReasons.NumberChanged, "+447700900123"), (r.Reason, r.PhoneE164)));

        // The new number starts with nothing ticked, and can be granted afresh.
        Assert.Equal(ConsentChangeOutcome.Changed, (await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, evidence)).Outcome);
        Assert.Equal("+447700900999", (await database.Consents.GetStatesAsync(customer)).Single(s => s.Purpose == Purpose.Promotions).PhoneE164);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Logs_NeverContainRawNumberOrCode_ThroughAWholeVerification(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateCustomerAsync();
        var code = await database.SendCodeAndReadItAsync(customer, Number);
        await database.Verification.VerifyAsync(customer, "999999" == code ? "888888" : "999999", TestDatabase.Evidence(customer));
        await database.Verification.VerifyAsync(customer, code, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));

        var lines = database.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("123", StringComparison.Ordinal) && l.Contains('•', StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("7700900123", StringComparison.Ordinal) || l.Contains("7700 900123", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(code, StringComparison.Ordinal));
    }
}
