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

    public static byte[] Canonical(ConsentEvent e, string personalDigest, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(e);
        var text = new StringBuilder();
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
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static string Hash(ConsentEvent e, string personalDigest, string previousHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Canonical(e, personalDigest, previousHash)));

    /// <summary>HMAC-SHA256 with the customer's own key over phone, IP and user agent (each escaped, one per line).</summary>
    public static string PersonalDigest(byte[] customerKey, string phoneE164, string? ipAddress, string? userAgent)
    {
        var text = new StringBuilder();
        Line(text, "phone", phoneE164);
        Line(text, "ip", ipAddress);
        Line(text, "user_agent", userAgent);
        return Convert.ToHexStringLower(HMACSHA256.HashData(customerKey, Encoding.UTF8.GetBytes(text.ToString())));
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
