using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PreferenceCenter.Domain.Ledger;

/// <summary>
/// A signed note of the chain's head (sequence and hash) at a moment. Cutting events off the end of the log leaves a
/// checkpoint pointing past it, which verification reports as truncation.
/// </summary>
/// <remarks>
/// Since ADR 37 a checkpoint is a C2SP signed note (<see cref="Note"/>) over the Merkle root of the first
/// <see cref="Sequence"/> events, signed with a published ECDSA key; checkpoints written before carry an HMAC in
/// <see cref="Signature"/> instead (and no note), which still verifies with the old shared key.
/// </remarks>
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

    /// <summary>HMAC-SHA256 (hex) with the checkpoint key over <see cref="SignedText"/>; empty on a signed-note checkpoint.</summary>
    public string Signature { get; private init; }

    /// <summary>The Merkle root (64 hex) of the first <see cref="Sequence"/> events; null on HMAC checkpoints.</summary>
    public string? RootHash { get; private init; }

    /// <summary>The signed note (C2SP tlog-checkpoint); null on HMAC checkpoints.</summary>
    public string? Note { get; private init; }

    /// <summary>The signing key's key ID (8 hex); null on HMAC checkpoints.</summary>
    public string? KeyId { get; private init; }

    public static LedgerCheckpoint CreateSigned(long sequence, string hash, byte[] rootHash, DateTimeOffset createdAt, string note, string keyId) => new()
    {
        Sequence = sequence,
        Hash = hash,
        CreatedAt = createdAt.ToUniversalTime(),
        Signature = string.Empty,
        RootHash = Convert.ToHexStringLower(rootHash),
        Note = note,
        KeyId = keyId,
    };

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
        Note is null && Signature.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(SignedText, key)), Encoding.ASCII.GetBytes(Signature));

    private static string Sign(string text, byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
}
