using Microsoft.Extensions.Time.Testing;
using PreferenceCenter.Domain.Verification;

namespace PreferenceCenter.Domain.Tests;

public class SendDecisionTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly VerificationPolicy Policy = new();

    private static DateTimeOffset[] SendsAgo(params int[] minutesAgo) => [.. minutesAgo.Select(m => Now.AddMinutes(-m))];

    [Fact]
    public void Evaluate_Allows_WhenThereIsNoHistory()
    {
        var decision = SendDecision.Evaluate(Now, Policy, [], []);

        Assert.True(decision.IsAllowed);
        Assert.Equal(SendDecision.Allowed, decision);
        Assert.Equal(TimeSpan.Zero, decision.RetryAfter);
    }

    [Theory]
    [InlineData(10, 20)]
    [InlineData(29, 1)]
    public void Evaluate_RefusesWithCooldown_WhenCustomerWasSentACodeRecently(int secondsAgo, int expectedRetrySeconds)
    {
        var decision = SendDecision.Evaluate(Now, Policy, [Now.AddSeconds(-secondsAgo)], [Now.AddSeconds(-secondsAgo)]);

        Assert.Equal(SendRefusal.Cooldown, decision.Refusal);
        Assert.False(decision.IsAllowed);
        Assert.Equal(TimeSpan.FromSeconds(expectedRetrySeconds), decision.RetryAfter);
    }

    [Fact]
    public void Evaluate_Allows_WhenCooldownHasJustPassed()
    {
        var clock = new FakeTimeProvider(Now);
        DateTimeOffset[] sent = [clock.GetUtcNow()];
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(SendRefusal.Cooldown, SendDecision.Evaluate(clock.GetUtcNow(), Policy, sent, sent).Refusal);

        clock.Advance(TimeSpan.FromSeconds(20));

        Assert.True(SendDecision.Evaluate(clock.GetUtcNow(), Policy, sent, sent).IsAllowed);
    }

    [Fact]
    public void Evaluate_IgnoresCooldown_WhenOnlyAnotherCustomerTextedTheNumberRecently()
    {
        var decision = SendDecision.Evaluate(Now, Policy, [], [Now.AddSeconds(-5)]);

        Assert.True(decision.IsAllowed);
    }

    [Fact]
    public void Evaluate_RefusesWithNumberCap_WhenNumberHadFiveSendsThisHour()
    {
        var number = SendsAgo(50, 40, 30, 20, 10);

        var decision = SendDecision.Evaluate(Now, Policy, [], number);

        Assert.Equal(SendRefusal.NumberHourlyCap, decision.Refusal);
        Assert.Equal(TimeSpan.FromMinutes(10), decision.RetryAfter);
    }

    [Fact]
    public void Evaluate_Allows_WhenOldestCountedNumberSendTurnsOneHourOld()
    {
        var number = SendsAgo(50, 40, 30, 20, 10);
        var first = SendDecision.Evaluate(Now, Policy, [], number);

        var later = SendDecision.Evaluate(Now + first.RetryAfter, Policy, [], number);
        var justBefore = SendDecision.Evaluate(Now + first.RetryAfter - TimeSpan.FromTicks(1), Policy, [], number);

        Assert.True(later.IsAllowed);
        Assert.Equal(SendRefusal.NumberHourlyCap, justBefore.Refusal);
    }

    [Fact]
    public void Evaluate_WaitsForFifthNewest_WhenNumberHasMoreSendsThanCap()
    {
        var number = SendsAgo(55, 50, 45, 40, 30, 20, 10);

        var decision = SendDecision.Evaluate(Now, Policy, [], number);

        Assert.Equal(SendRefusal.NumberHourlyCap, decision.Refusal);
        Assert.Equal(TimeSpan.FromMinutes(15), decision.RetryAfter);
        Assert.True(SendDecision.Evaluate(Now.AddMinutes(15), Policy, [], number).IsAllowed);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(61)]
    public void Evaluate_DoesNotCountSends_WhenTheyAreAnHourOldOrOlder(int oldestMinutesAgo)
    {
        var customer = SendsAgo(oldestMinutesAgo, 55, 50, 45, 40, 35, 30, 25, 20, 10);
        var number = SendsAgo(oldestMinutesAgo, 40, 30, 20, 10);

        Assert.True(SendDecision.Evaluate(Now, Policy, customer, number).IsAllowed);
    }

    [Fact]
    public void Evaluate_RefusesWithCustomerCap_WhenCustomerHadTenSendsThisHour()
    {
        var customer = SendsAgo(55, 50, 45, 40, 35, 30, 25, 20, 15, 10);

        var decision = SendDecision.Evaluate(Now, Policy, customer, []);

        Assert.Equal(SendRefusal.CustomerHourlyCap, decision.Refusal);
        Assert.Equal(TimeSpan.FromMinutes(5), decision.RetryAfter);
        Assert.True(SendDecision.Evaluate(Now.AddMinutes(5), Policy, customer, []).IsAllowed);
    }

    [Fact]
    public void Evaluate_WaitsForTenthNewest_WhenCustomerHasMoreSendsThanCap()
    {
        var customer = SendsAgo(58, 57, 52, 50, 45, 40, 35, 30, 25, 20, 15, 10);

        var decision = SendDecision.Evaluate(Now, Policy, customer, []);

        Assert.Equal(SendRefusal.CustomerHourlyCap, decision.Refusal);
        Assert.Equal(TimeSpan.FromMinutes(8), decision.RetryAfter);
    }

    [Fact]
    public void Evaluate_Allows_WhenCustomerHadNineSendsThisHour()
    {
        var customer = SendsAgo(50, 45, 40, 35, 30, 25, 20, 15, 10);

        Assert.True(SendDecision.Evaluate(Now, Policy, customer, []).IsAllowed);
    }

    [Fact]
    public void Evaluate_ReportsCooldownFirst_WhenCapsAreAlsoReached()
    {
        var sends = SendsAgo(55, 50, 45, 40, 35, 30, 25, 20, 15, 0);

        var decision = SendDecision.Evaluate(Now, Policy, sends, sends);

        Assert.Equal(SendRefusal.Cooldown, decision.Refusal);
    }

    [Fact]
    public void Evaluate_SortsHistory_WhenTimesArriveOutOfOrderAndInOtherOffsets()
    {
        var plusTwo = TimeSpan.FromHours(2);
        DateTimeOffset[] number =
        [
            Now.AddMinutes(-10).ToOffset(plusTwo), Now.AddMinutes(-50), Now.AddMinutes(-30).ToOffset(-plusTwo), Now.AddMinutes(-20), Now.AddMinutes(-40),
        ];

        DateTimeOffset[] customer = [Now.AddSeconds(-10).ToOffset(-plusTwo), Now.AddMinutes(-5)];

        var capped = SendDecision.Evaluate(Now.ToOffset(plusTwo), Policy, [], number);
        var coolingDown = SendDecision.Evaluate(Now, Policy, customer, []);

        Assert.Equal(SendRefusal.NumberHourlyCap, capped.Refusal);
        Assert.Equal(TimeSpan.FromMinutes(10), capped.RetryAfter);
        Assert.Equal(SendRefusal.Cooldown, coolingDown.Refusal);
        Assert.Equal(TimeSpan.FromSeconds(20), coolingDown.RetryAfter);
    }

    [Fact]
    public void Evaluate_HonoursCustomPolicy_WhenLimitsAreChanged()
    {
        var policy = new VerificationPolicy
        {
            ResendCooldown = TimeSpan.FromMinutes(2),
            MaxSendsPerNumberPerHour = 2,
            MaxSendsPerCustomerPerHour = 3,
        };

        Assert.Equal(TimeSpan.FromSeconds(60), SendDecision.Evaluate(Now, policy, SendsAgo(1), []).RetryAfter);
        Assert.Equal(SendRefusal.NumberHourlyCap, SendDecision.Evaluate(Now, policy, [], SendsAgo(30, 10)).Refusal);
        Assert.Equal(SendRefusal.CustomerHourlyCap, SendDecision.Evaluate(Now, policy, SendsAgo(30, 20, 10), []).Refusal);
        Assert.True(SendDecision.Evaluate(Now, policy, SendsAgo(20, 10), SendsAgo(10)).IsAllowed);
    }
}
