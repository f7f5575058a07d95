using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Domain.Tests;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("+44 7700 900123", null, "+447700900123", "GB")]
    [InlineData("07700 900123", "GB", "+447700900123", "GB")]
    [InlineData("0044 7700 900123", "GB", "+447700900123", "GB")]
    [InlineData("+44 (0) 7700 900123", null, "+447700900123", "GB")]
    [InlineData("(202) 555-0143", "US", "+12025550143", "US")]
    [InlineData("202.555.0143", "US", "+12025550143", "US")]
    [InlineData("202-555-0143", "US", "+12025550143", "US")]
    [InlineData("+1 (202) 555-0143", "GB", "+12025550143", "US")]
    [InlineData("tel:+447700900123", null, "+447700900123", "GB")]
    [InlineData("TEL:+1-202-555-0143;phone-context=example.com", null, "+12025550143", "US")]
    [InlineData("＋４４ ７７００ ９００１２３", "US", "+447700900123", "GB")]
    [InlineData("٠٧٧٠٠ ٩٠٠١٢٣", "GB", "+447700900123", "GB")]
    [InlineData("  +44 7700 900123  ", null, "+447700900123", "GB")]
    [InlineData("07700900123", " gb ", "+447700900123", "GB")]
    [InlineData("+49 1512 3456789", null, "+4915123456789", "DE")]
    [InlineData("06 12 34 56 78", "FR", "+33612345678", "FR")]
    public void TryParse_ReturnsE164AndRegion_WhenTypedAsPeopleDo(string input, string? region, string expectedE164, string expectedRegion)
    {
        var ok = PhoneNumber.TryParse(input, region, out var number, out var error);

        Assert.True(ok, $"refused with {error}");
        Assert.NotNull(number);
        Assert.Equal(expectedE164, number.E164);
        Assert.Equal(expectedRegion, number.RegionCode);
    }

    [Theory]
    [InlineData(null, "GB", PhoneNumberError.Empty)]
    [InlineData(" \t\n ", "GB", PhoneNumberError.Empty)]
    [InlineData("0770O 900123", "GB", PhoneNumberError.ContainsLetters)]
    [InlineData("call me", "GB", PhoneNumberError.ContainsLetters)]
    [InlineData("1-800-FLOWERS", "US", PhoneNumberError.ContainsLetters)]
    [InlineData("+44 7700 900123 ext. 12", null, PhoneNumberError.HasExtension)]
    [InlineData("+1 202 555 0143 x12", null, PhoneNumberError.HasExtension)]
    [InlineData("tel:+12025550143;ext=12", null, PhoneNumberError.HasExtension)]
    [InlineData("+12025550143#12", null, PhoneNumberError.HasExtension)]
    [InlineData("+44 7700 900123,12", null, PhoneNumberError.HasExtension)]
    [InlineData("+44 77", null, PhoneNumberError.TooShort)]
    [InlineData("+44 7700 900123 4567 89", null, PhoneNumberError.TooLong)]
    [InlineData("+44 7700 900123 4567 8901", null, PhoneNumberError.TooLong)]
    [InlineData("+44 1111 111111", null, PhoneNumberError.InvalidForRegion)]
    [InlineData("+44 20 7946 0000", null, PhoneNumberError.CannotReceiveSms)]
    [InlineData("020 7946 0000", "GB", PhoneNumberError.CannotReceiveSms)]
    [InlineData("+44 800 123 4567", null, PhoneNumberError.CannotReceiveSms)]
    [InlineData("+999 1234 5678", null, PhoneNumberError.UnknownCountry)]
    [InlineData("07700 900123", null, PhoneNumberError.UnknownCountry)]
    public void TryParse_ReturnsSpecificError_WhenInputCannotBeUsed(string? input, string? region, PhoneNumberError expected)
    {
        var ok = PhoneNumber.TryParse(input, region, out var number, out var error);

        Assert.False(ok);
        Assert.Null(number);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("+447700900999", true)]
    [InlineData("+447700901000", false)]
    public void TryParse_AcceptsOnlyOfcomDramaRange_WhenLibphonenumberCallsTheNumberInvalid(string input, bool accepted)
    {
        var ok = PhoneNumber.TryParse(input, null, out var number, out var error);

        Assert.Equal(accepted, ok);
        if (accepted)
        {
            Assert.Equal(input, number!.E164);
            Assert.Equal("GB", number.RegionCode);
        }
        else
        {
            Assert.Equal(PhoneNumberError.InvalidForRegion, error);
        }
    }

    [Fact]
    public void TryParse_YieldsEqualNumbers_WhenSameNumberIsTypedDifferently()
    {
        Assert.True(PhoneNumber.TryParse("07700 900123", "GB", out var national, out _));
        Assert.True(PhoneNumber.TryParse("tel:+447700900123", null, out var uri, out _));

        Assert.Equal(national, uri);
        Assert.Equal(national.GetHashCode(), uri.GetHashCode());
    }

    [Theory]
    [InlineData("+447700900123")]
    [InlineData("+4915123456789")]
    public void FromE164_RoundTripsE164AndRegion_WhenNumberWasParsed(string e164)
    {
        Assert.True(PhoneNumber.TryParse(e164, null, out var parsed, out _));

        var rebuilt = PhoneNumber.FromE164(parsed.E164);

        Assert.Equal(parsed, rebuilt);
        Assert.Equal(e164, rebuilt.E164);
    }

    [Theory]
    [InlineData("+442079460000")]
    [InlineData("not a number")]
    public void FromE164_Throws_WhenStoredValueIsNotAnSmsNumber(string stored)
    {
        var ex = Assert.Throws<ArgumentException>(() => PhoneNumber.FromE164(stored));
        Assert.Equal("e164", ex.ParamName);
    }

    [Theory]
    [InlineData("07700 900123", "GB", "+44 7700 900123")]
    public void Display_IsInternationalFormat_WhenNumberIsParsed(string input, string region, string expected)
    {
        Assert.True(PhoneNumber.TryParse(input, region, out var number, out _));

        Assert.Equal(expected, number.Display);
    }

    [Theory]
    [InlineData("+447700900123", "+•••••••••123")]
    [InlineData("07700 900123", "••••••••123")]
    [InlineData("12", "••")]
    [InlineData(null, "(none)")]
    public void Mask_KeepsOnlyLastThreeDigits_WhenGivenAnyString(string? value, string expected)
    {
        Assert.Equal(expected, PhoneNumber.Mask(value));
    }

    [Theory]
    [InlineData("+44 7700 900123", null)]
    [InlineData("+49 1512 3456789", null)]
    public void Masked_RevealsNoMoreThanLastThreeDigits_WhenNumberIsParsed(string input, string? region)
    {
        Assert.True(PhoneNumber.TryParse(input, region, out var number, out _));
        var digits = number.E164[1..];

        Assert.Equal(number.Masked, number.ToString());
        Assert.Equal($"{number}", number.Masked);
        Assert.StartsWith("+", number.Masked, StringComparison.Ordinal);
        Assert.Equal(digits[^3..], new string(number.Masked.Where(char.IsAsciiDigit).ToArray()));
        Assert.Equal(number.E164.Length, number.Masked.Length);
        Assert.DoesNotContain(digits[..^3], number.Masked, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskedPhone_ToStringMasks_WhenUsedInInterpolation()
    {
        var masked = new MaskedPhone("+447700900123");

        Assert.Equal("+•••••••••123", masked.ToString());
        Assert.Equal("to +•••••••••123", $"to {masked}");
        Assert.Equal("(none)", new MaskedPhone(null).ToString());
    }

    [Fact]
    public void Messages_AreNonEmptyAndDistinct_ForEveryError()
    {
        var errors = Enum.GetValues<PhoneNumberError>();
        var messages = errors.Select(PhoneNumberMessages.For).ToList();
        var fallback = PhoneNumberMessages.For((PhoneNumberError)(-1));

        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        Assert.Equal(errors.Length, messages.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(fallback, messages);
    }
}
