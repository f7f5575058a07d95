using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PreferenceCenter.Domain.Ledger;

/// <summary>
/// A signed note of the chain's head (sequence and hash) at a moment. Cutting events off the end of the log leaves a
/// checkpoint pointing past it, which verification reports as truncation.
/// </summary>
public sealed class LedgerCheckpoint
{
    private LedgerCheckpoint()
    {
        Hash = string.Empty;
        Signature = string.Empty;
    }

    public long Id { get; private init; }

    public long Sequence { get; private init; }

    public string Hash { get; private init; }

    public DateTimeOffset CreatedAt { get; private init; }

    /// <summary>HMAC-SHA256 (hex) with the checkpoint key over <see cref="SignedText"/>.</summary>
    public string Signature { get; private init; }

    public static LedgerCheckpoint Create(long sequence, string hash, DateTimeOffset createdAt, byte[] key)
    {
        var at = createdAt.ToUniversalTime();
        return new LedgerCheckpoint { Sequence = sequence, Hash = hash, CreatedAt = at, Signature = Sign(Text(sequence, hash, at), key) };
    }

    /// <summary>"checkpoint v1\n{sequence}\n{hash}\n{created at, UTC}\n".</summary>
    public string SignedText => Text(Sequence, Hash, CreatedAt);

    private static string Text(long sequence, string hash, DateTimeOffset at) =>
        $"checkpoint v1\n{sequence.ToString(CultureInfo.InvariantCulture)}\n{hash}\n{LedgerEncoding.Instant(at)}\n";

    public bool HasValidSignature(byte[] key) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(SignedText, key)), Encoding.ASCII.GetBytes(Signature));

    private static string Sign(string text, byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
}
