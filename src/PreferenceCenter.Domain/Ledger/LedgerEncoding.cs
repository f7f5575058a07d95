using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.Ledger;

/// <summary>
/// The canonical bytes of a consent event and the hash chain over them (docs/ledger-encoding.md). Personal fields
/// (phone, IP, user agent) are not in the bytes: a keyed digest of them is, so erasing them and the customer's key
/// leaves the chain verifiable.
/// </summary>
public static class LedgerEncoding
{
    /// <summary>The encoding new events are sealed with. Version 1 (before text hashes and origins) still verifies.</summary>
    public const int Version = 2;

    /// <summary>The "previous hash" of the first event.</summary>
    public static readonly string Genesis = new('0', 64);

    public static byte[] Canonical(ConsentEvent e, string personalDigest, string previousHash) =>
        Encoding.UTF8.GetBytes(CanonicalText(e, personalDigest, previousHash).ToString());

    public static string Hash(ConsentEvent e, string personalDigest, string previousHash)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashText(CanonicalText(e, personalDigest, previousHash), key: null, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Whether <paramref name="expectedHash"/> is <see cref="Hash"/> of the event, without allocating: the verifier's hot path.</summary>
    public static bool HashMatches(ConsentEvent e, string personalDigest, string previousHash, string expectedHash)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashText(CanonicalText(e, personalDigest, previousHash), key: null, hash);
        return HexEquals(hash, expectedHash);
    }

    /// <summary>HMAC-SHA256 with the customer's own key over phone, IP and user agent (each escaped, one per line).</summary>
    public static string PersonalDigest(byte[] customerKey, string phoneE164, string? ipAddress, string? userAgent)
    {
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HashText(PersonalText(phoneE164, ipAddress, userAgent), customerKey, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>Whether <paramref name="expectedDigest"/> is <see cref="PersonalDigest"/> of the fields, without allocating.</summary>
    public static bool PersonalDigestMatches(byte[] customerKey, string phoneE164, string? ipAddress, string? userAgent, string expectedDigest)
    {
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HashText(PersonalText(phoneE164, ipAddress, userAgent), customerKey, digest);
        return HexEquals(digest, expectedDigest);
    }

    // One builder per thread, reused: verifying a long ledger otherwise spends most of its allocations growing builders.
    [ThreadStatic]
    private static StringBuilder? t_text;

    private static StringBuilder Builder() => (t_text ??= new StringBuilder(1024)).Clear();

    private static StringBuilder CanonicalText(ConsentEvent e, string personalDigest, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(e);
        var text = Builder();
        var version = e.EncodingVersion == 1 ? 1 : 2;
        Line(text, "v", version.ToString(CultureInfo.InvariantCulture));
        Line(text, "sequence", e.Sequence.ToString(CultureInfo.InvariantCulture));
        Line(text, "id", e.Id.ToString("D"));
        Line(text, "customer", e.CustomerId.ToString("D"));
        Line(text, "purpose", e.Purpose.ToString());
        Line(text, "action", e.Action.ToString());
        Line(text, "occurred_at", Instant(e.OccurredAt));
        Line(text, "recorded_at", Instant(e.RecordedAt));
        Line(text, "method", e.Method);
        Line(text, "actor", e.Actor);
        Line(text, "locale", e.Locale);
        Line(text, "text_id", e.ConsentTextId.ToString(CultureInfo.InvariantCulture));
        if (version == 2)
        {
            Line(text, "text_sha256", e.TextSha256);
            Line(text, "origin", e.Origin);
        }

        Line(text, "reason", e.Reason);
        Line(text, "personal", personalDigest);
        Line(text, "prev", previousHash);
        return text;
    }

    private static StringBuilder PersonalText(string phoneE164, string? ipAddress, string? userAgent)
    {
        var text = Builder();
        Line(text, "phone", phoneE164);
        Line(text, "ip", ipAddress);
        Line(text, "user_agent", userAgent);
        return text;
    }

    /// <summary>SHA-256 (or HMAC-SHA256 with a key) of the text's UTF-8 bytes, through pooled buffers.</summary>
    private static void HashText(StringBuilder text, byte[]? key, Span<byte> destination)
    {
        var chars = ArrayPool<char>.Shared.Rent(text.Length);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            text.CopyTo(0, chars, text.Length);
            var length = Encoding.UTF8.GetBytes(chars, 0, text.Length, bytes, 0);
            _ = key is null ? SHA256.HashData(bytes.AsSpan(0, length), destination) : HMACSHA256.HashData(key, bytes.AsSpan(0, length), destination);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Ordinal equality with the lowercase hex of <paramref name="value"/>, as comparing the strings would be.</summary>
    private static bool HexEquals(ReadOnlySpan<byte> value, string expected)
    {
        Span<char> hex = stackalloc char[value.Length * 2];
        return Convert.TryToHexStringLower(value, hex, out var written) && hex[..written].SequenceEqual(expected);
    }

    /// <summary>UTC with seven fractional digits, e.g. 2026-11-23T09:00:00.0000000Z.</summary>
    public static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // "name=value\n"; a null value is "name\n" (no '='), so null and empty differ. Backslash, CR and LF are escaped.
    private static void Line(StringBuilder text, string name, string? value)
    {
        text.Append(name);
        if (value is not null)
        {
            text.Append('=').Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal));
        }

        text.Append('\n');
    }
}
