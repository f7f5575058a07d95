using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;

namespace PreferenceCenter.Domain.Tests;

/// <summary>Inputs found by probing the parser: each once misbehaved.</summary>
public class PhoneNumberEdgeCaseTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TryParse_ReturnsFalseInsteadOfThrowing_WhenUnicodeIsBroken(bool atStart)
    {
        // Built here, not in attributes: test-case serialisation would replace a lone surrogate with U+FFFD.
        var halfEmoji = new string((char)0xD83D, 1);
        var input = atStart ? halfEmoji + "+447700900123" : "+44 7700 900123 " + halfEmoji;

        Assert.False(PhoneNumber.TryParse(input, "GB", out _, out var error));
        Assert.Equal(PhoneNumberError.ContainsLetters, error);
    }

    [Theory]
    [InlineData("tel:+12025550143;isub=123;ext=12")]
    [InlineData("tel:+12025550143;phone-context=+1;ext=12")]
    [InlineData("tel:+12025550143;ext=12;isub=3")]
    public void TryParse_RefusesExtension_WhenTelUriCarriesItAfterOtherParameters(string input)
    {
        Assert.False(PhoneNumber.TryParse(input, "US", out _, out var error));
        Assert.Equal(PhoneNumberError.HasExtension, error);
    }

    [Fact]
    public void TryParse_DropsOtherTelParameters_WhenThereIsNoExtension()
    {
        Assert.True(PhoneNumber.TryParse("tel:+12025550143;isub=123", "GB", out var number, out _));
        Assert.Equal("+12025550143", number.E164);
    }

    [Theory]
    [InlineData("Mexico +52 55 1234 5678", "MX")]
    [InlineData("fax 020 7946 0000", "GB")]
    public void TryParse_SaysLetters_WhenAnXIsPartOfAWord(string input, string region)
    {
        Assert.False(PhoneNumber.TryParse(input, region, out _, out var error));
        Assert.Equal(PhoneNumberError.ContainsLetters, error);
    }

    [Theory]
    [InlineData("+44 7700 900123 ext. 12")]
    [InlineData("+1 202 555 0143 x12")]
    [InlineData("+1 202 555 0143 extension 4")]
    public void TryParse_SaysExtension_WhenAnExtensionEndsTheNumber(string input)
    {
        Assert.False(PhoneNumber.TryParse(input, "GB", out _, out var error));
        Assert.Equal(PhoneNumberError.HasExtension, error);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    public void Mask_SaysNone_WhenThereAreNoDigits(string input) => Assert.Equal("(none)", PhoneNumber.Mask(input));

    [Fact]
    public void Mask_KeepsOnlyLastThreeDigits_WhenDigitsAreFullWidth()
    {
        var masked = PhoneNumber.Mask("＋４４ ７７００ ９００１２３");
        Assert.EndsWith("１２３", masked, StringComparison.Ordinal);
        Assert.Equal(3, masked.Count(char.IsDigit));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 0)]
    public void SendDecision_RefusesForAnHour_WhenACapIsZero(int numberCap, int customerCap)
    {
        var policy = new VerificationPolicy { MaxSendsPerNumberPerHour = numberCap, MaxSendsPerCustomerPerHour = customerCap };
        var decision = SendDecision.Evaluate(DateTimeOffset.UnixEpoch, policy, [], []);
        Assert.False(decision.IsAllowed);
        Assert.Equal(TimeSpan.FromHours(1), decision.RetryAfter);
    }
}
