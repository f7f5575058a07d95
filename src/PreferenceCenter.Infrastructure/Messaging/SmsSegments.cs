namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>
/// How many SMS segments a text costs: GSM-7 (160 septets, 153 per part when split; the extension characters take two)
/// unless one character is outside GSM 03.38, then UCS-2 (70 characters, 67 per part). Carriers bill per segment, and
/// a split text can arrive out of order, so our templates aim for one.
/// </summary>
public static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "^{}\\[~]|€\f";

    public static SmsEncoding EncodingOf(string text) =>
        text.All(c => Basic.Contains(c, StringComparison.Ordinal) || Extension.Contains(c, StringComparison.Ordinal)) ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2;

    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (EncodingOf(text) == SmsEncoding.Gsm7)
        {
            var septets = text.Sum(c => Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1);
            return septets <= 160 ? 1 : (septets + 152) / 153;
        }

        // UCS-2 counts UTF-16 code units: an emoji (a surrogate pair) takes two.
        return text.Length <= 70 ? 1 : (text.Length + 66) / 67;
    }
}

public enum SmsEncoding
{
    Gsm7,
    Ucs2,
}
