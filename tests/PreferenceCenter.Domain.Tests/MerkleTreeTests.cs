using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PreferenceCenter.Domain.Ledger;

namespace PreferenceCenter.Domain.Tests;

/// <summary>
/// RFC 9162 §2.1 against the Certificate Transparency reference test vectors (the eight leaves of the Go and C++ CT
/// implementations; roots and paths re-computed independently with Python's hashlib), and properties over many sizes.
/// </summary>
public class MerkleTreeTests
{
    private static readonly byte[][] VectorLeaves =
    [
        [],
        [0x00],
        [0x10],
        [0x20, 0x21],
        [0x30, 0x31],
        [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    private static readonly string[] VectorRoots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    public static TheoryData<int, int, string[]> InclusionVectors => new()
    {
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        { 1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 0, 1, [] },
    };

    public static TheoryData<int, int, string[]> ConsistencyVectors => new()
    {
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 8, 8, [] },
    };

    private static InMemoryMerkleTree VectorTree(int size) => new([.. VectorLeaves.Take(size).Select(l => MerkleTree.LeafHash(l))]);

    [Fact]
    public void Root_MatchesTheCtReferenceVectors_ForEverySizeUpToEight()
    {
        for (var size = 1; size <= 8; size++)
        {
            Assert.Equal(VectorRoots[size - 1], Convert.ToHexStringLower(MerkleTree.Root(size, VectorTree(size))));
        }
    }

    [Fact]
    public void Root_IsSha256OfNothing_WhenTheTreeIsEmpty() =>
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleTree.Root(0, VectorTree(0))));

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void InclusionProof_MatchesTheCtReferenceVectors_WhenGeneratedAndVerified(int index, int size, string[] expected)
    {
        var tree = VectorTree(size);
        var proof = MerkleTree.InclusionProof(index, size, tree);

        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleTree.VerifyInclusion(index, size, MerkleTree.LeafHash(VectorLeaves[index]), proof, Convert.FromHexString(VectorRoots[size - 1])));
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void ConsistencyProof_MatchesTheCtReferenceVectors_WhenGeneratedAndVerified(int first, int second, string[] expected)
    {
        var tree = VectorTree(second);
        var proof = MerkleTree.ConsistencyProof(first, second, tree);

        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleTree.VerifyConsistency(first, second, Convert.FromHexString(VectorRoots[first - 1]), Convert.FromHexString(VectorRoots[second - 1]), proof));
    }

    [Fact]
    public void InclusionProof_VerifiesForEveryLeaf_ForEveryTreeSizeUpTo130()
    {
        var leaves = Leaves(130);
        for (var size = 1; size <= leaves.Count; size++)
        {
            var tree = new InMemoryMerkleTree(leaves.Take(size).ToList());
            var root = MerkleTree.Root(size, tree);
            for (var index = 0; index < size; index++)
            {
                Assert.True(MerkleTree.VerifyInclusion(index, size, leaves[index], MerkleTree.InclusionProof(index, size, tree), root), $"leaf {index} of {size}");
            }
        }
    }

    [Fact]
    public void ConsistencyProof_VerifiesForEveryPair_ForEveryTreeSizeUpTo70()
    {
        var leaves = Leaves(70);
        var tree = new InMemoryMerkleTree(leaves);
        var roots = Enumerable.Range(0, 71).Select(n => MerkleTree.Root(n, tree)).ToArray();
        for (var second = 1; second <= 70; second++)
        {
            for (var first = 1; first <= second; first++)
            {
                Assert.True(MerkleTree.VerifyConsistency(first, second, roots[first], roots[second], MerkleTree.ConsistencyProof(first, second, tree)), $"{first} → {second}");
            }
        }
    }

    [Property(MaxTest = 300)]
    public Property VerifyInclusion_Fails_WhenAnyPartOfTheProofIsTampered() =>
        Prop.ForAll(
            Gen.Choose(2, 200).SelectMany(size => Gen.Choose(0, size - 1).Select(index => (size, index))).ToArbitrary(),
            Gen.Choose(0, 1000).ToArbitrary(),
            (pick, salt) =>
            {
                var (size, index) = pick;
                var leaves = Leaves(size);
                var tree = new InMemoryMerkleTree(leaves);
                var root = MerkleTree.Root(size, tree);
                var proof = MerkleTree.InclusionProof(index, size, tree);
                var flipped = proof.Select(p => p.ToArray()).ToList();
                flipped[salt % flipped.Count][salt % 32] ^= 0x01;
                var wrongIndex = (index + 1 + (salt % (size - 1))) % size;
                var otherLeaf = leaves[wrongIndex];

                return !MerkleTree.VerifyInclusion(index, size, leaves[index], flipped, root)
                    && !MerkleTree.VerifyInclusion(index, size, otherLeaf, proof, root)
                    && !MerkleTree.VerifyInclusion(wrongIndex, size, leaves[index], proof, root)
                    && !MerkleTree.VerifyInclusion(index, size, leaves[index], [.. proof, root], root)
                    && !MerkleTree.VerifyInclusion(index, size, leaves[index], proof.Take(proof.Count - 1).ToList(), root);
            });

    [Property(MaxTest = 300)]
    public Property VerifyConsistency_Fails_WhenTheProofOrARootIsTampered() =>
        Prop.ForAll(
            Gen.Choose(2, 150).SelectMany(second => Gen.Choose(1, second - 1).Select(first => (first, second))).ToArbitrary(),
            Gen.Choose(0, 1000).ToArbitrary(),
            (pick, salt) =>
            {
                var (first, second) = pick;
                var tree = new InMemoryMerkleTree(Leaves(second));
                var (oldRoot, newRoot) = (MerkleTree.Root(first, tree), MerkleTree.Root(second, tree));
                var proof = MerkleTree.ConsistencyProof(first, second, tree);
                var flipped = proof.Select(p => p.ToArray()).ToList();
                flipped[salt % flipped.Count][salt % 32] ^= 0x80;
                var rewritten = new InMemoryMerkleTree([.. Leaves(second).Select((l, i) => i == salt % first ? MerkleTree.LeafHash([0xff]) : l)]);

                return !MerkleTree.VerifyConsistency(first, second, oldRoot, newRoot, flipped)
                    && !MerkleTree.VerifyConsistency(first, second, MerkleTree.Root(first, rewritten), newRoot, proof)
                    && !MerkleTree.VerifyConsistency(first, second, oldRoot, MerkleTree.Root(second, rewritten), proof)
                    && !MerkleTree.VerifyConsistency(first, second, oldRoot, newRoot, [])
                    && !MerkleTree.VerifyConsistency(first + 1 == second ? first - 1 : first + 1, second, oldRoot, newRoot, proof);
            });

    [Fact]
    public void EventLeafHash_HashesTheStoredHashAsRawBytes_WhenGivenItsHex()
    {
        var hex = "9e0f34a48dcd3ed846512687bfce5b40802167f04c366a31c8143d2def444069";

        Assert.Equal(MerkleTree.LeafHash(Convert.FromHexString(hex)), MerkleTree.EventLeafHash(hex));
        Assert.Throws<FormatException>(() => MerkleTree.EventLeafHash("abc"));
    }

    private static List<byte[]> Leaves(int count) => [.. Enumerable.Range(0, count).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i)))];
}
