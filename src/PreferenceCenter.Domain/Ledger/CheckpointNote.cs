using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PreferenceCenter.Domain.Ledger;

/// <summary>
/// A public key that signs checkpoints (ECDSA P-256 with SHA-256), as published at
/// <c>/.well-known/consent-ledger-keys</c>. <see cref="KeyId"/> is the C2SP signed-note key ID of signature type 0x02:
/// the first four bytes of SHA-256 of the DER SubjectPublicKeyInfo.
/// </summary>
public sealed record LedgerPublicKey(string Name, byte[] SubjectPublicKeyInfo, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil)
{
    public const string Algorithm = "ecdsa-p256-sha256";

    /// <summary>Four bytes, hex: the key ID in each signature line.</summary>
    public string KeyId => Convert.ToHexStringLower(CheckpointNote.KeyId(SubjectPublicKeyInfo));

    /// <summary>SHA-256 of the SPKI, hex: the key's full fingerprint.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(SubjectPublicKeyInfo));

    public static LedgerPublicKey Of(string name, ECDsa key, DateTimeOffset? validFrom = null, DateTimeOffset? validUntil = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(name, key.ExportSubjectPublicKeyInfo(), validFrom, validUntil);
    }
}

/// <summary>What a checkpoint note says, once its signature has verified.</summary>
public sealed record VerifiedCheckpoint(string Origin, long TreeSize, byte[] RootHash, LedgerPublicKey Key);

/// <summary>
/// Checkpoints in the C2SP <c>tlog-checkpoint</c> format, as a C2SP <c>signed-note</c> (docs/ledger-encoding.md §5):
/// <code>
/// &lt;origin&gt;\n&lt;tree size, decimal&gt;\n&lt;base64 root hash&gt;\n
/// \n
/// — &lt;key name&gt; base64(key ID (4 bytes) || DER ECDSA signature over the text above the blank line)\n
/// </code>
/// The signature type is 0x02 (ECDSA, as transparency-dev/witness implements it); the key name is the origin.
/// </summary>
public static class CheckpointNote
{
    public const byte EcdsaSignatureType = 0x02;

    private const string SignaturePrefix = "\u2014 ";

    public static byte[] KeyId(byte[] subjectPublicKeyInfo) => SHA256.HashData(subjectPublicKeyInfo)[..4];

    /// <summary>The note text (what is signed): origin, size and root, each ending in a newline.</summary>
    public static string Body(string origin, long treeSize, ReadOnlySpan<byte> rootHash)
    {
        if (string.IsNullOrEmpty(origin) || origin.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c)))
        {
            throw new ArgumentException("An origin is a non-empty schema-less URL without spaces or '+'.", nameof(origin));
        }

        return $"{origin}\n{treeSize.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(rootHash)}\n";
    }

    /// <summary>The signed note: the body, a blank line and one signature line by <paramref name="key"/>.</summary>
    public static string Sign(string body, string keyName, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(key);
        var signature = key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var line = Convert.ToBase64String([.. KeyId(key.ExportSubjectPublicKeyInfo()), .. signature]);
        return $"{body}\n{SignaturePrefix}{keyName} {line}\n";
    }

    /// <summary>
    /// Verifies a signed checkpoint against the published keys: a signature line whose name and key ID match a known
    /// key must verify, at least one must, and the text must be a well-formed checkpoint. Null, with the reason, if not.
    /// </summary>
    public static VerifiedCheckpoint? Verify(string note, IEnumerable<LedgerPublicKey> keys, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(keys);
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n'))
        {
            problem = "not a signed note";
            return null;
        }

        var body = note[..(split + 1)];
        LedgerPublicKey? verifiedBy = null;
        foreach (var line in note[(split + 2)..^1].Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal) || space <= SignaturePrefix.Length)
            {
                problem = "malformed signature line";
                return null;
            }

            var name = line[SignaturePrefix.Length..space];
            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(line[(space + 1)..]);
            }
            catch (FormatException)
            {
                problem = "signature is not base64";
                return null;
            }

            if (blob.Length <= 4)
            {
                problem = "signature too short";
                return null;
            }

            foreach (var key in keys.Where(k => k.Name == name && KeyId(k.SubjectPublicKeyInfo).AsSpan().SequenceEqual(blob.AsSpan(0, 4))))
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
                if (!ecdsa.VerifyData(Encoding.UTF8.GetBytes(body), blob.AsSpan(4), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
                {
                    problem = $"signature by key {key.KeyId} does not verify";
                    return null;
                }

                verifiedBy = key;
            }
        }

        if (verifiedBy is null)
        {
            problem = "no signature by a published key";
            return null;
        }

        var lines = body.Split('\n');
        if (lines.Length < 4 || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || !TryBase64(lines[2], out var root) || root.Length != MerkleTree.HashSize)
        {
            problem = "not a checkpoint (origin, tree size, root hash)";
            return null;
        }

        problem = null;
        return new VerifiedCheckpoint(lines[0], size, root, verifiedBy);
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
