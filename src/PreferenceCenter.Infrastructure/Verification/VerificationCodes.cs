using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Verification;

/// <summary>
/// Makes and checks 6-digit codes. A plain hash of a 6-digit code falls to a million guesses, so the stored value
/// is an HMAC keyed with a server secret and bound to the challenge id.
/// </summary>
public sealed class VerificationCodes(KeyStore keys)
{
    public const int Length = 6;

    public static string NewCode() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Strips what people type around a code (spaces, dashes); null when it is not 6 digits.</summary>
    public static string? Normalise(string? input)
    {
        if (input is null)
        {
            return null;
        }

        var digits = new string(input.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        return digits.Length == Length && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    public const string KeyName = "verification-code";

    public byte[] Hash(Guid challengeId, string code) =>
        HMACSHA256.HashData(keys.GetOrCreate(KeyName), Encoding.UTF8.GetBytes($"{challengeId:N}:{code}"));

    public bool Matches(Guid challengeId, string code, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(challengeId, code), storedHash);
}
