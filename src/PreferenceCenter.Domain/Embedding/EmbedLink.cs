using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PreferenceCenter.Domain.Embedding;

public enum EmbedLinkCheck
{
    Valid,
    Malformed,
    BadSignature,
    Expired,
    TooLongLived,
}

/// <summary>
/// Signed links a host's back end makes for one of its customers (docs/embedding.md):
/// <c>sig = base64url(HMAC-SHA256(UTF-8(secret), UTF-8(siteId + "\n" + sub + "\n" + exp + "\n" + nonce)))</c>, no padding.
/// </summary>
public static class EmbedLink
{
    public static string Sign(string secret, string siteId, string sub, long exp, string nonce)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Message(siteId, sub, exp, nonce)));
    }

    /// <summary>Checks shape, signature (constant time) and lifetime; the nonce's single use is the caller's job.</summary>
    public static EmbedLinkCheck Check(string secret, string siteId, string? sub, string? exp, string? nonce, string? sig, DateTimeOffset now, TimeSpan maxLifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (!EmbedRules.IsValidSubject(sub) || !EmbedRules.IsValidNonce(nonce) || sig is null
            || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return EmbedLinkCheck.Malformed;
        }

        byte[] given;
        try
        {
            given = Base64Url.DecodeFromChars(sig);
        }
        catch (FormatException)
        {
            return EmbedLinkCheck.Malformed;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Message(siteId, sub!, expires, nonce!));
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return EmbedLinkCheck.BadSignature;
        }

        var seconds = now.ToUnixTimeSeconds();
        return expires <= seconds ? EmbedLinkCheck.Expired
            : expires - seconds > (long)maxLifetime.TotalSeconds ? EmbedLinkCheck.TooLongLived
            : EmbedLinkCheck.Valid;
    }

    private static byte[] Message(string siteId, string sub, long exp, string nonce) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{siteId}\n{sub}\n{exp}\n{nonce}"));
}
