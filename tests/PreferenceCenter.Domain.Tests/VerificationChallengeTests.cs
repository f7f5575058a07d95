using Microsoft.Extensions.Time.Testing;
using PreferenceCenter.Domain.Verification;

namespace PreferenceCenter.Domain.Tests;

public class VerificationChallengeTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly VerificationPolicy Policy = new();

    private readonly FakeTimeProvider clock = new(Start);

    private static VerificationChallenge NewChallenge(DateTimeOffset now, VerificationPolicy policy) =>
        VerificationChallenge.Create(Guid.NewGuid(), Guid.NewGuid(), "+447700900123", [1, 2, 3], now, policy);

    private static VerifyOutcome FailTimes(VerificationChallenge challenge, int times, DateTimeOffset now, VerificationPolicy policy)
    {
        var outcome = VerifyOutcome.NoActiveCode;
        for (var i = 0; i < times; i++)
        {
            outcome = challenge.Attempt(codeMatches: false, now, policy);
        }

        return outcome;
    }

    [Fact]
    public void Create_CopiesInputsAndSetsExpiry_WhenPolicyIsDefault()
    {
        var id = Guid.NewGuid();
        var customer = Guid.NewGuid();
        byte[] hash = [9, 8, 7];

        var c = VerificationChallenge.Create(id, customer, "+447700900123", hash, Start, Policy);

        Assert.Equal(id, c.Id);
        Assert.Equal(customer, c.CustomerId);
        Assert.Equal("+447700900123", c.PhoneE164);
        Assert.Equal(hash, c.CodeHash);
        Assert.Equal(Start, c.CreatedAt);
        Assert.Equal(Start.AddMinutes(10), c.ExpiresAt);
        Assert.Equal(0, c.FailedAttempts);
        Assert.Null(c.VerifiedAt);
        Assert.Equal(5, c.AttemptsLeft(Policy));
        Assert.False(c.IsLocked(Policy));
    }

    [Fact]
    public void Attempt_ReturnsVerified_WhenCodeMatchesBeforeExpiry()
    {
        var c = NewChallenge(clock.GetUtcNow(), Policy);
        clock.Advance(TimeSpan.FromMinutes(3));

        var outcome = c.Attempt(codeMatches: true, clock.GetUtcNow(), Policy);

        Assert.Equal(VerifyOutcome.Verified, outcome);
        Assert.Equal(Start.AddMinutes(3), c.VerifiedAt);
        Assert.Equal(0, c.FailedAttempts);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(4, 1)]
    public void Attempt_ReturnsWrongCodeAndCountsDown_WhenCodeDoesNotMatch(int wrongGuesses, int expectedLeft)
    {
        var c = NewChallenge(Start, Policy);

        var outcome = FailTimes(c, wrongGuesses, Start.AddMinutes(1), Policy);

        Assert.Equal(VerifyOutcome.WrongCode, outcome);
        Assert.Equal(wrongGuesses, c.FailedAttempts);
        Assert.Equal(expectedLeft, c.AttemptsLeft(Policy));
        Assert.False(c.IsLocked(Policy));
    }

    [Fact]
    public void Attempt_ReturnsTooManyAttemptsAndLocks_WhenFifthGuessIsWrong()
    {
        var c = NewChallenge(Start, Policy);
        FailTimes(c, 4, Start, Policy);

        var outcome = c.Attempt(codeMatches: false, Start, Policy);

        Assert.Equal(VerifyOutcome.TooManyAttempts, outcome);
        Assert.True(c.IsLocked(Policy));
        Assert.Equal(0, c.AttemptsLeft(Policy));
    }

    [Fact]
    public void Attempt_ReturnsVerified_WhenFifthGuessIsRight()
    {
        var c = NewChallenge(Start, Policy);
        FailTimes(c, 4, Start, Policy);

        Assert.Equal(VerifyOutcome.Verified, c.Attempt(codeMatches: true, Start, Policy));
    }

    [Fact]
    public void Attempt_StaysTooManyAttemptsWithoutCounting_WhenLockedEvenIfCodeMatches()
    {
        var c = NewChallenge(Start, Policy);
        FailTimes(c, 5, Start, Policy);

        var right = c.Attempt(codeMatches: true, Start.AddMinutes(1), Policy);
        var wrong = c.Attempt(codeMatches: false, Start.AddMinutes(1), Policy);

        Assert.Equal(VerifyOutcome.TooManyAttempts, right);
        Assert.Equal(VerifyOutcome.TooManyAttempts, wrong);
        Assert.Equal(5, c.FailedAttempts);
        Assert.Null(c.VerifiedAt);
    }

    [Fact]
    public void Attempt_ReturnsTooManyAttempts_WhenLockedAndAlsoExpired()
    {
        var c = NewChallenge(Start, Policy);
        FailTimes(c, 5, Start, Policy);

        Assert.Equal(VerifyOutcome.TooManyAttempts, c.Attempt(codeMatches: true, Start.AddHours(1), Policy));
    }

    [Theory]
    [InlineData(599_000, VerifyOutcome.Verified)]
    [InlineData(599_999, VerifyOutcome.Verified)]
    [InlineData(600_000, VerifyOutcome.Expired)]
    public void Attempt_ExpiresExactlyAtLifetime_WhenCodeMatches(int elapsedMs, VerifyOutcome expected)
    {
        var c = NewChallenge(clock.GetUtcNow(), Policy);
        clock.Advance(TimeSpan.FromMilliseconds(elapsedMs));

        Assert.Equal(expected, c.Attempt(codeMatches: true, clock.GetUtcNow(), Policy));
    }

    [Fact]
    public void Attempt_ReturnsExpiredWithoutCounting_WhenWrongCodeAfterExpiry()
    {
        var c = NewChallenge(Start, Policy);

        var outcome = c.Attempt(codeMatches: false, Start.AddMinutes(10), Policy);

        Assert.Equal(VerifyOutcome.Expired, outcome);
        Assert.Equal(0, c.FailedAttempts);
        Assert.Null(c.VerifiedAt);
    }

    [Fact]
    public void Attempt_ReturnsNoActiveCode_WhenAlreadyVerified()
    {
        var c = NewChallenge(Start, Policy);
        c.Attempt(codeMatches: true, Start.AddMinutes(1), Policy);

        Assert.Equal(VerifyOutcome.NoActiveCode, c.Attempt(codeMatches: true, Start.AddMinutes(2), Policy));
        Assert.Equal(VerifyOutcome.NoActiveCode, c.Attempt(codeMatches: false, Start.AddMinutes(2), Policy));
        Assert.Equal(Start.AddMinutes(1), c.VerifiedAt);
        Assert.Equal(0, c.FailedAttempts);
    }

    [Fact]
    public void Attempt_HonoursCustomPolicy_WhenMaxAttemptsAndLifetimeAreChanged()
    {
        var strict = new VerificationPolicy { MaxAttempts = 3, CodeLifetime = TimeSpan.FromMinutes(2) };
        var c = NewChallenge(Start, strict);

        Assert.Equal(Start.AddMinutes(2), c.ExpiresAt);
        Assert.Equal(VerifyOutcome.WrongCode, c.Attempt(false, Start, strict));
        Assert.Equal(VerifyOutcome.WrongCode, c.Attempt(false, Start, strict));
        Assert.Equal(1, c.AttemptsLeft(strict));
        Assert.Equal(VerifyOutcome.TooManyAttempts, c.Attempt(false, Start, strict));
        Assert.True(c.IsLocked(strict));
    }

    [Fact]
    public void Attempt_ReturnsExpired_WhenCustomLifetimeHasPassed()
    {
        var shortLived = new VerificationPolicy { CodeLifetime = TimeSpan.FromMinutes(2) };
        var c = NewChallenge(clock.GetUtcNow(), shortLived);
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(VerifyOutcome.Expired, c.Attempt(codeMatches: true, clock.GetUtcNow(), shortLived));
    }
}
