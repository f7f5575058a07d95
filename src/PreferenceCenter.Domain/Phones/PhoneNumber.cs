using System.Text;
using PhoneNumbers;

namespace PreferenceCenter.Domain.Phones;

/// <summary>A phone number that can receive SMS, normalised to E.164. The only way in is <see cref="TryParse"/>.</summary>
public sealed record PhoneNumber
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private PhoneNumber(string e164, string regionCode)
    {
        E164 = e164;
        RegionCode = regionCode;
    }

    /// <summary>The number in E.164, e.g. <c>+447700900123</c>.</summary>
    public string E164 { get; }

    /// <summary>The ISO 3166 region the number belongs to, e.g. <c>GB</c>.</summary>
    public string RegionCode { get; }

    /// <summary>The main region of the number's country calling code (GB for every +44 number, even Jersey's).</summary>
    public string CountryRegionCode => Util.GetRegionCodeForCountryCode(Util.Parse(E164, null).CountryCode);

    /// <summary>For logs: the country code and the last three digits only.</summary>
    public string Masked => Mask(E164);

    /// <summary>International format for people, e.g. <c>+44 7700 900123</c>.</summary>
    public string Display => Util.Format(Util.Parse(E164, null), PhoneNumberFormat.INTERNATIONAL);

    public override string ToString() => Masked;

    /// <summary>Masks any string that may hold a number so that only its last three digits survive.</summary>
    public static string Mask(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "(none)";
        }

        var digits = value.Count(char.IsDigit);
        if (digits == 0)
        {
            return "(none)";
        }

        if (digits <= 3)
        {
            return new string('•', digits);
        }

        var tail = new string(value.Where(char.IsDigit).TakeLast(3).ToArray());
        return (value.StartsWith('+') ? "+" : string.Empty) + new string('•', digits - 3) + tail;
    }

    /// <summary>Rebuilds a number already stored as E.164 (trusted input from the database).</summary>
    public static PhoneNumber FromE164(string e164)
    {
        if (!TryParse(e164, null, out var number, out var error))
        {
            throw new ArgumentException($"Not a valid stored E.164 number ({error}).", nameof(e164));
        }

        return number;
    }

    /// <summary>
    /// Parses what people really type: spaces, dashes, dots, brackets, <c>00</c> or <c>+</c> prefixes, a pasted
    /// <c>tel:</c> URI, full-width digits; national formats use <paramref name="defaultRegion"/>.
    /// </summary>
    public static bool TryParse(string? input, string? defaultRegion, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PhoneNumber? number, out PhoneNumberError error)
    {
        number = null;
        if (!TryNormalise(input, out var text))
        {
            // Broken Unicode (half an emoji from a cut-off paste) is not a number.
            error = PhoneNumberError.ContainsLetters;
            return false;
        }

        if (text.Length == 0)
        {
            error = PhoneNumberError.Empty;
            return false;
        }

        if (text.Any(char.IsLetter))
        {
            // libphonenumber maps letters to keypad digits (1-800-FLOWERS); a consent number must be typed as digits.
            error = LooksLikeExtension(text) ? PhoneNumberError.HasExtension : PhoneNumberError.ContainsLetters;
            return false;
        }

        if (text.Contains('#', StringComparison.Ordinal) || text.Contains(';', StringComparison.Ordinal) || text.Contains(',', StringComparison.Ordinal))
        {
            error = PhoneNumberError.HasExtension;
            return false;
        }

        var region = string.IsNullOrWhiteSpace(defaultRegion) ? "ZZ" : defaultRegion.Trim().ToUpperInvariant();
        PhoneNumbers.PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(text, region);
        }
        catch (NumberParseException ex)
        {
            error = ex.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE => PhoneNumberError.UnknownCountry,
                ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => PhoneNumberError.TooShort,
                ErrorType.TOO_LONG => PhoneNumberError.TooLong,
                _ => PhoneNumberError.InvalidForRegion,
            };
            return false;
        }

        if (parsed.HasExtension)
        {
            error = PhoneNumberError.HasExtension;
            return false;
        }

        switch (Util.IsPossibleNumberWithReason(parsed))
        {
            case PhoneNumberUtil.ValidationResult.TOO_SHORT:
                error = PhoneNumberError.TooShort;
                return false;
            case PhoneNumberUtil.ValidationResult.TOO_LONG:
                error = PhoneNumberError.TooLong;
                return false;
            case PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE:
                error = PhoneNumberError.UnknownCountry;
                return false;
            case PhoneNumberUtil.ValidationResult.INVALID_LENGTH:
                error = LengthError(parsed);
                return false;
        }

        // One type lookup serves both questions: libphonenumber's IsValidNumber is "its type is known", and each
        // lookup runs the region's patterns again (this parse runs before every text the API is asked about).
        var type = IsReservedForFiction(parsed) ? PhoneNumberType.MOBILE : Util.GetNumberType(parsed);
        if (type == PhoneNumberType.UNKNOWN)
        {
            error = LengthError(parsed);
            return false;
        }

        if (!CanReceiveSms(type))
        {
            error = PhoneNumberError.CannotReceiveSms;
            return false;
        }

        // libphonenumber finds no region for the fiction range after trying every +44 region's patterns; it is Ofcom's.
        var regionCode = IsReservedForFiction(parsed) ? "GB" : Util.GetRegionCodeForNumber(parsed) ?? Util.GetRegionCodeForCountryCode(parsed.CountryCode);
        number = new PhoneNumber(Util.Format(parsed, PhoneNumberFormat.E164), regionCode);
        error = default;
        return true;
    }

    /// <summary>Regions libphonenumber knows, for the country picker.</summary>
    public static IReadOnlyList<(string Region, int CallingCode)> SupportedRegions() =>
        Util.GetSupportedRegions().Select(r => (r, Util.GetCountryCodeForRegion(r))).OrderBy(r => r.r, StringComparer.Ordinal).ToList();

    public static bool IsSupportedRegion(string? region) =>
        !string.IsNullOrWhiteSpace(region) && Util.GetSupportedRegions().Contains(region.Trim().ToUpperInvariant());

    /// <summary>
    /// Ofcom reserves 07700 900000–900999 for TV, film and documentation. libphonenumber calls them invalid, but they
    /// are well-formed UK mobiles, and accepting them lets demos, docs and tests avoid real people's phones.
    /// </summary>
    private static bool IsReservedForFiction(PhoneNumbers.PhoneNumber parsed) =>
        parsed.CountryCode == 44 && parsed.NationalNumber is >= 7700900000 and <= 7700900999;

    /// <summary>
    /// libphonenumber only says "invalid" for many wrong lengths; compared with the region's mobile numbers we can
    /// tell people whether digits are missing or extra, which is what they need to fix it.
    /// </summary>
    private static PhoneNumberError LengthError(PhoneNumbers.PhoneNumber parsed)
    {
        var region = Util.GetRegionCodeForCountryCode(parsed.CountryCode);
        var example = Util.GetExampleNumberForType(region, PhoneNumberType.MOBILE);
        if (example is null)
        {
            return PhoneNumberError.InvalidForRegion;
        }

        var typed = Util.GetNationalSignificantNumber(parsed).Length;
        var expected = Util.GetNationalSignificantNumber(example).Length;
        return typed < expected ? PhoneNumberError.TooShort
            : typed > expected ? PhoneNumberError.TooLong
            : PhoneNumberError.InvalidForRegion;
    }

    private static bool CanReceiveSms(PhoneNumberType type) =>
        type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE or PhoneNumberType.VOIP;

    /// <summary>"ext. 12", "x12", "extension 4" at the end: a number with an extension, not one with stray letters.</summary>
    private static bool LooksLikeExtension(string text) =>
        text.Contains(";ext=", StringComparison.OrdinalIgnoreCase) || System.Text.RegularExpressions.Regex.IsMatch(text, @"(ext(ension)?\.?|x)\s*\d+\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static bool TryNormalise(string? input, out string text)
    {
        text = string.Empty;
        if (string.IsNullOrWhiteSpace(input))
        {
            return true;
        }

        if (HasLoneSurrogate(input))
        {
            return false;
        }

        text = Normalise(input);
        return true;
    }

    private static bool HasLoneSurrogate(string input)
    {
        for (var i = 0; i < input.Length; i++)
        {
            if (char.IsHighSurrogate(input[i]) && i + 1 < input.Length && char.IsLowSurrogate(input[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(input[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalise(string input)
    {
        // Full-width and other Unicode decimal digits become ASCII; NFKC also folds full-width '+' and brackets.
        var text = input.Normalize(NormalizationForm.FormKC).Trim();
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsDigit(c) ? (char)('0' + (int)char.GetNumericValue(c)) : c);
        }

        text = sb.ToString();
        if (text.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[4..];
            // RFC 3966 parameters (;phone-context=, ;isub=) are not part of the number we store; an ;ext= anywhere is
            // kept so the caller refuses it.
            var semicolon = text.IndexOf(';', StringComparison.Ordinal);
            if (semicolon >= 0 && text[semicolon..].Contains(";ext=", StringComparison.OrdinalIgnoreCase))
            {
                return text;
            }

            if (semicolon >= 0)
            {
                text = text[..semicolon];
            }
        }

        return text.Trim();
    }
}
