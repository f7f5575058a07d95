using System.Security.Cryptography;
using System.Text;

namespace PreferenceCenter.Domain.Messaging;

/// <summary>
/// Twilio's X-Twilio-Signature for form-encoded webhooks: HMAC-SHA1 keyed with the auth token over the full URL followed
/// by every POST parameter, sorted by name, as name + value with no separators; Base64.
/// See https://www.twilio.com/docs/usage/webhooks/webhooks-security.
/// </summary>
public static class TwilioSignature
{
    private const int HashLength = HMACSHA1.HashSizeInBytes;

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParameters) =>
        Convert.ToBase64String(Hash(authToken, url, formParameters));

    /// <summary>
    /// True when <paramref name="signatureHeader"/> is the signature of this request. False for a missing, empty or
    /// malformed header, and for an empty auth token (anyone can compute a signature keyed with nothing).
    /// </summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParameters, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrWhiteSpace(signatureHeader))
        {
            return false;
        }

        // A destination of exactly one hash makes longer input fail to decode; shorter input fails the length check below.
        Span<byte> given = stackalloc byte[HashLength];
        if (!Convert.TryFromBase64String(signatureHeader, given, out var written))
        {
            return false;
        }

        // Constant time, so response timing can't reveal how much of a forged signature was right.
        return CryptographicOperations.FixedTimeEquals(Hash(authToken, url, formParameters), given[..written]);
    }

    private static byte[] Hash(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParameters)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(formParameters);

        var data = new StringBuilder(url);

        // Ordinal, as Twilio sorts (case-sensitive, "B" before "a"); repeated names sort by value so arrival order never matters.
        foreach (var (name, value) in formParameters
            .Select(p => (Name: p.Key ?? string.Empty, Value: p.Value ?? string.Empty))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        // SHA-1 is Twilio's choice, not ours; as an HMAC it is still sound.
#pragma warning disable CA5350
        return HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
#pragma warning restore CA5350
    }
}
