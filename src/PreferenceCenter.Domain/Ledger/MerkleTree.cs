using System.Numerics;
using System.Security.Cryptography;

namespace PreferenceCenter.Domain.Ledger;

/// <summary>
/// The hashes of complete, aligned subtrees of a Merkle tree: <c>(level, index)</c> covers the leaves
/// <c>[index·2^level, (index+1)·2^level)</c>; level 0 is the leaf hashes. Whoever stores the tree decides how to
/// answer (a list in memory, cached tiles, rows read from the database).
/// </summary>
public interface IMerkleSubtrees
{
    byte[] Subtree(int level, long index);
}

/// <summary>
/// The Merkle tree of RFC 9162 (Certificate Transparency 2.0) §2.1 over the consent ledger: leaf hash
/// <c>SHA-256(0x00 || leaf)</c>, interior node <c>SHA-256(0x01 || left || right)</c>, and a tree of n leaves split at
/// the largest power of two smaller than n. Leaf i is event <c>i + 1</c>; its input is the event's stored hash as 32
/// raw bytes (docs/ledger-encoding.md §4). Proof generation (§2.1.3.1, §2.1.4.1) and verification (§2.1.3.2,
/// §2.1.4.2) are pure: no database, no clock.
/// </summary>
public static class MerkleTree
{
    public const int HashSize = SHA256.HashSizeInBytes;

    /// <summary>MTH of the empty tree: SHA-256 of nothing.</summary>
    public static byte[] EmptyRoot => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        var hash = new byte[HashSize];
        LeafHash(leaf, hash);
        return hash;
    }

    /// <summary>The leaf hash into <paramref name="destination"/> (32 bytes), which may overlap the leaf.</summary>
    public static void LeafHash(ReadOnlySpan<byte> leaf, Span<byte> destination)
    {
        Span<byte> input = leaf.Length <= 256 ? stackalloc byte[leaf.Length + 1] : new byte[leaf.Length + 1];
        input[0] = 0x00;
        leaf.CopyTo(input[1..]);
        SHA256.HashData(input, destination);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[HashSize];
        NodeHash(left, right, hash);
        return hash;
    }

    /// <summary>The node hash into <paramref name="destination"/> (32 bytes), which may overlap either child.</summary>
    public static void NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        if (left.Length != HashSize || right.Length != HashSize)
        {
            throw new ArgumentException("A child of a Merkle node is a 32-byte hash.");
        }

        Span<byte> input = stackalloc byte[1 + (2 * HashSize)];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        SHA256.HashData(input, destination);
    }

    /// <summary>
    /// The leaf hash of each 32-byte leaf input in <paramref name="leaves"/> (events' hashes as bytes), in order, into
    /// <paramref name="destination"/> (as long, not overlapping): many messages at once, one per SIMD lane (ADR 39).
    /// </summary>
    public static void LeafHashes(ReadOnlySpan<byte> leaves, Span<byte> destination) =>
        BatchSha256.LeafHashes(leaves, destination, BatchSha256.Widest);

    /// <summary>
    /// The node hash of each pair of 32-byte children in <paramref name="children"/> (a level of the tree, left to
    /// right), in order, into <paramref name="parents"/> (half as long, not overlapping): the next level up (ADR 39).
    /// </summary>
    public static void NodeHashes(ReadOnlySpan<byte> children, Span<byte> parents) =>
        BatchSha256.NodeHashes(children, parents, BatchSha256.Widest);

    /// <summary>The leaf hash of a consent event: the leaf input is its stored hash (64 hex) as 32 bytes.</summary>
    public static byte[] EventLeafHash(string eventHashHex)
    {
        ArgumentNullException.ThrowIfNull(eventHashHex);
        Span<byte> leaf = stackalloc byte[HashSize];
        if (eventHashHex.Length != HashSize * 2 || Convert.FromHexString(eventHashHex, leaf, out _, out var written) != System.Buffers.OperationStatus.Done || written != HashSize)
        {
            throw new FormatException("An event hash is 64 hex digits.");
        }

        return LeafHash(leaf);
    }

    /// <summary>MTH of the first <paramref name="size"/> leaves.</summary>
    public static byte[] Root(long size, IMerkleSubtrees tree)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return size == 0 ? EmptyRoot : Range(0, size, tree);
    }

    /// <summary>MTH(D[start:end]) (RFC 9162 §2.1.1), built from the complete subtrees it is made of.</summary>
    public static byte[] Range(long start, long end, IMerkleSubtrees tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var size = end - start;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (BitOperations.IsPow2(size) && start % size == 0)
        {
            var level = BitOperations.Log2((ulong)size);
            return tree.Subtree(level, start >> level);
        }

        var k = Split(size);
        return NodeHash(Range(start, start + k, tree), Range(start + k, end, tree));
    }

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n &gt; 1).</summary>
    public static long Split(long n) => (long)BitOperations.RoundUpToPowerOf2((ulong)n) >> 1;

    /// <summary>PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf <paramref name="index"/>, from the leaf up.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(long index, long size, IMerkleSubtrees tree)
    {
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "The leaf must be inside the tree.");
        }

        var path = new List<byte[]>();
        Path(index, 0, size, tree, path);
        return path;
    }

    private static void Path(long m, long start, long end, IMerkleSubtrees tree, List<byte[]> path)
    {
        var n = end - start;
        if (n <= 1)
        {
            return;
        }

        var k = Split(n);
        if (m < k)
        {
            Path(m, start, start + k, tree, path);
            path.Add(Range(start + k, end, tree));
        }
        else
        {
            Path(m - k, start + k, end, tree, path);
            path.Add(Range(start, start + k, tree));
        }
    }

    /// <summary>PROOF(m, D[n]) of RFC 9162 §2.1.4.1: that the tree of <paramref name="first"/> leaves is a prefix of the one of <paramref name="second"/>.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(long first, long second, IMerkleSubtrees tree)
    {
        if (first <= 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), "A consistency proof needs 0 < first ≤ second.");
        }

        var proof = new List<byte[]>();
        SubProof(first, 0, second, true, tree, proof);
        return proof;
    }

    private static void SubProof(long m, long start, long end, bool complete, IMerkleSubtrees tree, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(Range(start, end, tree));
            }

            return;
        }

        var k = Split(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, complete, tree, proof);
            proof.Add(Range(start + k, end, tree));
        }
        else
        {
            SubProof(m - k, start + k, end, false, tree, proof);
            proof.Add(Range(start, start + k, tree));
        }
    }

    /// <summary>RFC 9162 §2.1.3.2: whether the audit path takes the leaf hash to the root of the tree of <paramref name="size"/> leaves.</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (index < 0 || index >= size || leafHash.Length != HashSize || path.Any(p => p is not { Length: HashSize }))
        {
            return false;
        }

        var fn = index;
        var sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary>RFC 9162 §2.1.4.2: whether the proof shows the tree of <paramref name="first"/> leaves is a prefix of the one of <paramref name="second"/>.</summary>
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (first <= 0 || first > second || firstRoot.Length != HashSize || secondRoot.Length != HashSize || proof.Any(p => p is not { Length: HashSize }))
        {
            return false;
        }

        if (first == second)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(firstRoot, secondRoot);
        }

        if (proof.Count == 0)
        {
            return false;
        }

        var path = BitOperations.IsPow2(first) ? [firstRoot.ToArray(), .. proof] : proof.ToList();
        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(fr, firstRoot) && CryptographicOperations.FixedTimeEquals(sr, secondRoot);
    }
}

/// <summary>A tree held as its leaf hashes in memory, interior nodes computed on demand: for tests and small trees.</summary>
public sealed class InMemoryMerkleTree(IReadOnlyList<byte[]> leafHashes) : IMerkleSubtrees
{
    public long Size => leafHashes.Count;

    public byte[] Subtree(int level, long index)
    {
        if (level == 0)
        {
            return leafHashes[checked((int)index)];
        }

        return MerkleTree.NodeHash(Subtree(level - 1, index * 2), Subtree(level - 1, (index * 2) + 1));
    }
}
