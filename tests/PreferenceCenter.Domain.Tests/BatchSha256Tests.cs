using System.Security.Cryptography;
using PreferenceCenter.Domain.Ledger;

namespace PreferenceCenter.Domain.Tests;

/// <summary>
/// The hand-written multi-buffer SHA-256 (ADR 39) against the platform's, bit for bit, on every width whatever this
/// machine runs (sixteen lanes, eight, the platform alone), on counts that fill the lanes, miss them by one and leave
/// each kind of remainder; and the subtree roots it builds against the scalar RFC 9162 code.
/// </summary>
public class BatchSha256Tests
{
    public static TheoryData<int> Widths => [(int)Sha256Lanes.Platform, (int)Sha256Lanes.Eight, (int)Sha256Lanes.Sixteen];

    // Around each lane count, sums of both widths plus a remainder (16 + 8 + 7), and a whole verifier range.
    private static readonly int[] Counts = [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 63, 100, 4096];

    [Theory]
    [MemberData(nameof(Widths))]
    public void LeafHashes_MatchThePlatformBitForBit_ForEveryCount(int width)
    {
        var random = new Random(20261206 + width);
        foreach (var count in Counts)
        {
            var leaves = Bytes(random, count * 32);
            var hashes = new byte[count * 32];

            BatchSha256.LeafHashes(leaves, hashes, (Sha256Lanes)width);

            for (var i = 0; i < count; i++)
            {
                Assert.True(PlatformLeaf(leaves.AsSpan(i * 32, 32)).AsSpan().SequenceEqual(hashes.AsSpan(i * 32, 32)), $"leaf {i} of {count}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void NodeHashes_MatchThePlatformBitForBit_ForEveryCount(int width)
    {
        var random = new Random(20261207 + width);
        foreach (var count in Counts)
        {
            var children = Bytes(random, count * 64);
            var parents = new byte[count * 32];

            BatchSha256.NodeHashes(children, parents, (Sha256Lanes)width);

            for (var i = 0; i < count; i++)
            {
                Assert.True(PlatformNode(children.AsSpan(i * 64, 64)).AsSpan().SequenceEqual(parents.AsSpan(i * 32, 32)), $"node {i} of {count}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void LeafAndNodeHashes_MatchThePlatform_WhenEveryLaneHoldsTheSameExtremeBytes(int width)
    {
        // Carries through every adder and the byte shift's edges: all zeros, all ones, the top bit alone, one bit per lane.
        byte[][] fills = [new byte[64], Enumerable.Repeat((byte)0xff, 64).ToArray(), Enumerable.Repeat((byte)0x80, 64).ToArray(), Enumerable.Repeat((byte)0x01, 64).ToArray()];
        foreach (var fill in fills)
        {
            var leaves = Enumerable.Repeat(fill[..32], 16).SelectMany(b => b).ToArray();
            var children = Enumerable.Repeat(fill, 16).SelectMany(b => b).ToArray();
            for (var lane = 0; lane < 16; lane++)
            {
                leaves[(lane * 32) + (lane % 32)] ^= 0x04;
                children[(lane * 64) + 63 - lane] ^= 0x20;
            }

            var leafHashes = new byte[16 * 32];
            var nodeHashes = new byte[16 * 32];
            BatchSha256.LeafHashes(leaves, leafHashes, (Sha256Lanes)width);
            BatchSha256.NodeHashes(children, nodeHashes, (Sha256Lanes)width);

            for (var i = 0; i < 16; i++)
            {
                Assert.Equal(PlatformLeaf(leaves.AsSpan(i * 32, 32)), leafHashes.AsSpan(i * 32, 32).ToArray());
                Assert.Equal(PlatformNode(children.AsSpan(i * 64, 64)), nodeHashes.AsSpan(i * 32, 32).ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SubtreeRoot_EqualsTheScalarMerkleRoot_ForEveryPowerOfTwoUpTo4096(int width)
    {
        var random = new Random(20261208 + width);
        for (var size = 1; size <= 4096; size *= 2)
        {
            var inputs = Bytes(random, size * 32);
            var level = new byte[size * 32];
            BatchSha256.LeafHashes(inputs, level, (Sha256Lanes)width);
            while (level.Length > 32)
            {
                var parents = new byte[level.Length / 2];
                BatchSha256.NodeHashes(level, parents, (Sha256Lanes)width);
                level = parents;
            }

            var scalar = new InMemoryMerkleTree([.. Enumerable.Range(0, size).Select(i => MerkleTree.LeafHash(inputs.AsSpan(i * 32, 32)))]);
            Assert.Equal(Convert.ToHexStringLower(MerkleTree.Root(size, scalar)), Convert.ToHexStringLower(level));
        }
    }

    [Fact]
    public void MerkleTreeBatches_MatchTheOneAtATimeHashes_OnThisMachinesWidestPath()
    {
        var random = new Random(20261209);
        var inputs = Bytes(random, 1000 * 32);
        var leaves = new byte[inputs.Length];
        var parents = new byte[inputs.Length / 2];

        MerkleTree.LeafHashes(inputs, leaves);
        MerkleTree.NodeHashes(leaves, parents);

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(MerkleTree.LeafHash(inputs.AsSpan(i * 32, 32)), leaves.AsSpan(i * 32, 32).ToArray());
        }

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(MerkleTree.NodeHash(leaves.AsSpan(i * 64, 32), leaves.AsSpan((i * 64) + 32, 32)), parents.AsSpan(i * 32, 32).ToArray());
        }
    }

    [Fact]
    public void Widest_IsTheWidestVectorTheHardwareAccelerates_WhenChosenForThisMachine()
    {
        var expected = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? Sha256Lanes.Sixteen
            : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? Sha256Lanes.Eight
            : Sha256Lanes.Platform;

        Assert.Equal(expected, BatchSha256.Widest);
    }

    [Fact]
    public void Batches_Throw_WhenLengthsDoNotMakeWholeMessagesOrTheBuffersOverlap()
    {
        var buffer = new byte[256];

        Assert.Throws<ArgumentException>(() => MerkleTree.LeafHashes(buffer.AsSpan(0, 33), new byte[33]));
        Assert.Throws<ArgumentException>(() => MerkleTree.LeafHashes(buffer.AsSpan(0, 64), new byte[32]));
        Assert.Throws<ArgumentException>(() => MerkleTree.LeafHashes(buffer.AsSpan(0, 64), buffer.AsSpan(0, 64)));
        Assert.Throws<ArgumentException>(() => MerkleTree.NodeHashes(buffer.AsSpan(0, 96), new byte[48]));
        Assert.Throws<ArgumentException>(() => MerkleTree.NodeHashes(buffer.AsSpan(0, 128), new byte[32]));
        Assert.Throws<ArgumentException>(() => MerkleTree.NodeHashes(buffer.AsSpan(0, 128), buffer.AsSpan(96, 64)));
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] PlatformLeaf(ReadOnlySpan<byte> leaf) => SHA256.HashData([0x00, .. leaf]);

    private static byte[] PlatformNode(ReadOnlySpan<byte> children) => SHA256.HashData([0x01, .. children]);
}
