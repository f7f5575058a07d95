using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.Ledger;

/// <summary>
/// The canonical bytes of a consent event and the hash chain over them (docs/ledger-encoding.md). Personal fields
/// (phone, IP, user agent and, from version 3, a reason someone typed) are not in the bytes: a keyed digest of them
/// is, so erasing them and the customer's key leaves the chain verifiable.
/// </summary>
/// <remarks>
/// One writer produces the bytes, from a <see cref="LedgerRow"/>: the stored columns as UTF-8. Sealing builds the row
/// from the event; the verifier builds it straight from the database's bytes, so it never materialises an entity.
/// </remarks>
public static class LedgerEncoding
{
    /// <summary>
    /// The encoding new events are sealed with. Version 1 (before text hashes and origins) and version 2 (before typed
    /// reasons moved under the personal digest) still verify.
    /// </summary>
    public const int Version = 3;

    /// <summary>
    /// The reasons the app itself writes (<see cref="ConsentReasons"/>), which version 3 keeps in the hashed bytes;
    /// any other reason (an agent's note, an integration's text) is personal and goes under the digest. Frozen with
    /// version 3: a stored reason is classified by this list, so adding to it would re-classify old events. A new
    /// machine reason is simply personal (erasable) until a later version lists it.
    /// </summary>
    public static readonly IReadOnlyList<string> PlainReasons =
    [
        "number changed",
        "stop all texts",
        "account deleted",
        "number verified by another customer",
        "kept after change",
        "withdrawn after change",
        "not reconfirmed after change",
    ];

    private static readonly byte[][] PlainReasonBytes = [.. PlainReasons.Select(Encoding.UTF8.GetBytes)];

    private const int HexLength = SHA256.HashSizeInBytes * 2;

    /// <summary>The "previous hash" of the first event.</summary>
    public static readonly string Genesis = new('0', 64);

    // One buffer and one hasher per thread, reused: verifying a long ledger otherwise spends most of its time
    // allocating them (a reused SHA-256 context costs a third less per event than the one-shot call).
    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    public static byte[] Canonical(ConsentEvent e, string personalDigest, string previousHash)
    {
        var row = LedgerRow.Of(e, personalDigest, previousHash);
        return Write(ref row, personal: false).ToArray();
    }

    public static string Hash(ConsentEvent e, string personalDigest, string previousHash)
    {
        var row = LedgerRow.Of(e, personalDigest, previousHash);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Sha256(Write(ref row, personal: false), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Whether <paramref name="expectedHashHex"/> (lowercase hex, as stored) is the SHA-256 of the row's canonical bytes.</summary>
    public static bool HashMatches(ref LedgerRow row, ReadOnlySpan<byte> expectedHashHex)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Sha256(Write(ref row, personal: false), hash);
        return HexEquals(hash, expectedHashHex);
    }

    /// <summary>HMAC-SHA256 with the customer's own key over phone, IP and user agent (each escaped, one per line): versions 1 and 2.</summary>
    public static string PersonalDigest(byte[] customerKey, string phoneE164, string? ipAddress, string? userAgent) =>
        PersonalDigest(customerKey, 2, phoneE164, ipAddress, userAgent, reason: null);

    /// <summary>
    /// The personal digest of an event of <paramref name="encodingVersion"/>: from version 3 it also covers a reason
    /// that is not one of the <see cref="PlainReasons"/>.
    /// </summary>
    public static string PersonalDigest(byte[] customerKey, int encodingVersion, string phoneE164, string? ipAddress, string? userAgent, string? reason)
    {
        var row = LedgerRow.OfPersonal(encodingVersion, phoneE164, ipAddress, userAgent, reason);
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        PersonalHmac(customerKey, ref row, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>Whether <paramref name="expectedDigestHex"/> is the HMAC of the row's personal fields under the customer's key.</summary>
    public static bool PersonalDigestMatches(ReadOnlySpan<byte> customerKey, ref LedgerRow row, ReadOnlySpan<byte> expectedDigestHex)
    {
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        PersonalHmac(customerKey, ref row, digest);
        return HexEquals(digest, expectedDigestHex);
    }

    /// <summary>The bytes <see cref="PersonalDigest"/> is computed over; valid until the next call on this thread.</summary>
    public static ReadOnlySpan<byte> PersonalText(ref LedgerRow row) => Write(ref row, personal: true);

    /// <summary>
    /// Whether an event of <paramref name="encodingVersion"/> keeps <paramref name="reason"/> under the personal digest
    /// (so erasure may blank it): from version 3, any reason that is not one of the <see cref="PlainReasons"/>.
    /// </summary>
    public static bool ReasonIsPersonal(int encodingVersion, string? reason) =>
        reason is not null && Layout(encodingVersion) >= 3 && !PlainReasons.Contains(reason, StringComparer.Ordinal);

    private static bool IsPlainReason(ReadOnlySpan<byte> reason)
    {
        foreach (var plain in PlainReasonBytes)
        {
            if (reason.SequenceEqual(plain))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Which field layout a stored version number means; any version after 2 is laid out as 3 (and hashes its own number).</summary>
    private static int Layout(long encodingVersion) => encodingVersion switch
    {
        1 => 1,
        2 => 2,
        _ => 3,
    };

    /// <summary>UTC with seven fractional digits, e.g. 2026-11-23T09:00:00.0000000Z ("O" of a UTC DateTime).</summary>
    public static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// HMAC-SHA256 (RFC 2104) of the personal lines, built on the platform's SHA-256: the platform's one-shot HMAC
    /// cost three times these two hashes per event, and verifying checks one per event. A test holds it equal to
    /// <see cref="HMACSHA256"/>.
    /// </summary>
    private static void PersonalHmac(ReadOnlySpan<byte> key, scoped ref LedgerRow row, scoped Span<byte> destination)
    {
        Span<byte> block = stackalloc byte[HmacBlockSize];
        block.Clear();
        if (key.Length > HmacBlockSize)
        {
            SHA256.HashData(key, block);
        }
        else
        {
            key.CopyTo(block);
        }

        // The message is written after a block-sized gap that takes the inner pad, so nothing is copied.
        var inner = Write(ref row, personal: true, reserve: HmacBlockSize);
        var padded = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(inner), HmacBlockSize);
        for (var i = 0; i < HmacBlockSize; i++)
        {
            padded[i] = (byte)(block[i] ^ 0x36);
        }

        Span<byte> outer = stackalloc byte[HmacBlockSize + SHA256.HashSizeInBytes];
        Sha256(inner, outer[HmacBlockSize..]);
        for (var i = 0; i < HmacBlockSize; i++)
        {
            outer[i] = (byte)(block[i] ^ 0x5c);
        }

        Sha256(outer, destination);
    }

    private static void Sha256(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var sha = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(data);
        sha.GetHashAndReset(destination);
    }

    private const int HmacBlockSize = 64;

    /// <summary>The canonical lines of the row (or of its personal fields), in a per-thread buffer, after <paramref name="reserve"/> bytes.</summary>
    private static ReadOnlySpan<byte> Write(ref LedgerRow row, bool personal, int reserve = 0)
    {
        var w = new Writer(t_buffer ??= new byte[1024], reserve);
        var layout = Layout(row.EncodingVersion);
        var reasonIsPlain = row.Reason.IsNull || IsPlainReason(row.Reason.Bytes);
        if (personal)
        {
            w.Line("phone"u8, row.PhoneE164);
            w.Line("ip"u8, row.IpAddress);
            w.Line("user_agent"u8, row.UserAgent);
            if (layout >= 3)
            {
                // A typed reason lives here, where erasing it (with the key) leaves the chain intact.
                w.Line("reason"u8, reasonIsPlain ? Utf8Field.Null : row.Reason);
            }
        }
        else
        {
            w.Line("v"u8, layout == 3 ? row.EncodingVersion : layout);
            w.Line("sequence"u8, row.Sequence);
            w.GuidLine("id"u8, row.Id);
            w.GuidLine("customer"u8, row.CustomerId);
            w.Line("purpose"u8, row.Purpose);
            w.Line("action"u8, row.Action);
            w.InstantLine("occurred_at"u8, row.OccurredAtUtcTicks);
            w.InstantLine("recorded_at"u8, row.RecordedAtUtcTicks);
            w.Line("method"u8, row.Method);
            w.Line("actor"u8, row.Actor);
            w.Line("locale"u8, row.Locale);
            w.Line("text_id"u8, row.ConsentTextId);
            if (layout >= 2)
            {
                w.Line("text_sha256"u8, row.TextSha256);
                w.Line("origin"u8, row.Origin);
            }

            w.Line("reason"u8, layout < 3 || reasonIsPlain ? row.Reason : Utf8Field.Null);
            w.Line("personal"u8, row.PersonalDigest);
            w.Line("prev"u8, row.PreviousHash);
        }

        t_buffer = w.Buffer;
        return w.Written;
    }

    /// <summary>Ordinal equality of the lowercase hex of <paramref name="value"/> with the stored bytes.</summary>
    private static bool HexEquals(ReadOnlySpan<byte> value, ReadOnlySpan<byte> expectedHex)
    {
        Span<byte> hex = stackalloc byte[HexLength];
        return expectedHex.Length == HexLength && Convert.TryToHexStringLower(value, hex, out _) && hex.SequenceEqual(expectedHex);
    }

    /// <summary>
    /// "name=value\n"; a null value is "name\n" (no '='), so null and empty differ. Backslash, CR and LF are escaped
    /// (none of these bytes occurs inside a multi-byte UTF-8 character, so escaping bytes is escaping characters).
    /// </summary>
    private ref struct Writer(byte[] buffer, int reserve)
    {
        private int _length = reserve;

        public byte[] Buffer { get; private set; } = buffer;

        public readonly ReadOnlySpan<byte> Written => Buffer.AsSpan(0, _length);

        public void Line(ReadOnlySpan<byte> name, Utf8Field value)
        {
            Name(name, value.IsNull);
            var rest = value.Bytes;
            int at;
            while ((at = rest.IndexOfAny((byte)'\\', (byte)'\n', (byte)'\r')) >= 0)
            {
                Append(rest[..at]);
                Append(rest[at] switch
                {
                    (byte)'\\' => "\\\\"u8,
                    (byte)'\n' => "\\n"u8,
                    _ => "\\r"u8,
                });
                rest = rest[(at + 1)..];
            }

            Append(rest);
            Append((byte)'\n');
        }

        public void Line(ReadOnlySpan<byte> name, long value)
        {
            Name(name, isNull: false);
            Ensure(20);
            Utf8Formatter.TryFormat(value, Buffer.AsSpan(_length), out var written);
            _length += written;
            Append((byte)'\n');
        }

        /// <summary>GUIDs are encoded in lowercase "D" form whatever case they are stored in.</summary>
        public void GuidLine(ReadOnlySpan<byte> name, Utf8Field value)
        {
            var start = _length + name.Length + 1;
            Line(name, value);
            if (!value.IsNull)
            {
                Ascii.ToLowerInPlace(Buffer.AsSpan(start, _length - 1 - start), out _);
            }
        }

        public void InstantLine(ReadOnlySpan<byte> name, long utcTicks)
        {
            Name(name, isNull: false);
            Ensure(32);
            if (utcTicks is < 0 or > 3155378975999999999 || !new DateTime(utcTicks, DateTimeKind.Utc).TryFormat(Buffer.AsSpan(_length), out var written, "O", CultureInfo.InvariantCulture))
            {
                // Out of DateTime's range: only a tampered row has this, and its hash will not match.
                Utf8Formatter.TryFormat(utcTicks, Buffer.AsSpan(_length), out written);
            }

            _length += written;
            Append((byte)'\n');
        }

        private void Name(ReadOnlySpan<byte> name, bool isNull)
        {
            Append(name);
            if (!isNull)
            {
                Append((byte)'=');
            }
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(Buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        private void Append(byte b)
        {
            Ensure(1);
            Buffer[_length++] = b;
        }

        private void Ensure(int more)
        {
            if (_length + more > Buffer.Length)
            {
                var bigger = new byte[Math.Max(Buffer.Length * 2, _length + more)];
                Buffer.AsSpan(0, _length).CopyTo(bigger);
                Buffer = bigger;
            }
        }
    }
}
