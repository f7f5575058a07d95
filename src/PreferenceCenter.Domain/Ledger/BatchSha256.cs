using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PreferenceCenter.Domain.Ledger;

/// <summary>How many Merkle messages one pass of <see cref="BatchSha256"/> hashes at once.</summary>
internal enum Sha256Lanes
{
    /// <summary>No SIMD: the platform's SHA-256, one message per call.</summary>
    Platform = 1,

    /// <summary><see cref="Vector256{T}"/>: eight messages per pass.</summary>
    Eight = 8,

    /// <summary><see cref="Vector512{T}"/>: sixteen messages per pass.</summary>
    Sixteen = 16,
}

/// <summary>
/// SHA-256 (FIPS 180-4 §6.2) of many RFC 9162 leaf or node messages at once, one message per SIMD lane (ADR 39). The
/// platform's SHA-256 costs ~300 ns a call whatever the message, several times the compression of the one or two
/// blocks a Merkle message is; side by side in vector lanes the per-call cost is gone. Only the bulk verifier uses
/// this; proofs, signing and everything else keep the platform's. Held bit-exact against the platform on every width.
/// </summary>
internal static class BatchSha256
{
    private const int HashSize = MerkleTree.HashSize;
    private const int MaxLanes = 16;

    // Leaf message: 0x00 || 32 bytes, then FIPS 180-4 §5.1.1 padding, one block. Node: 0x01 || 32 || 32, two blocks.
    private const uint LeafBits = (1 + HashSize) * 8;
    private const uint NodeBits = (1 + (2 * HashSize)) * 8;

    private static readonly uint[] Initial = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>The widest pass this machine runs in hardware.</summary>
    public static Sha256Lanes Widest { get; } =
        Vector512.IsHardwareAccelerated ? Sha256Lanes.Sixteen : Vector256.IsHardwareAccelerated ? Sha256Lanes.Eight : Sha256Lanes.Platform;

    /// <summary>
    /// The leaf hash of each 32-byte leaf input in <paramref name="leaves"/>, in order, into <paramref name="destination"/>;
    /// passes of <paramref name="widest"/> lanes first, then narrower ones, the last few messages through the platform.
    /// </summary>
    public static void LeafHashes(ReadOnlySpan<byte> leaves, Span<byte> destination, Sha256Lanes widest)
    {
        if (leaves.Length % HashSize != 0 || destination.Length != leaves.Length)
        {
            throw new ArgumentException("Leaf inputs are 32 bytes each, and each has a 32-byte hash.");
        }

        if (leaves.Overlaps(destination))
        {
            throw new ArgumentException("The hashes cannot overlap the leaf inputs.");
        }

        var count = leaves.Length / HashSize;
        var done = 0;
        if (widest >= Sha256Lanes.Sixteen)
        {
            done = Leaves<Lanes16, Vector512<uint>>(leaves, destination, done, count);
        }

        if (widest >= Sha256Lanes.Eight)
        {
            done = Leaves<Lanes8, Vector256<uint>>(leaves, destination, done, count);
        }

        for (; done < count; done++)
        {
            MerkleTree.LeafHash(leaves.Slice(done * HashSize, HashSize), destination.Slice(done * HashSize, HashSize));
        }
    }

    /// <summary>
    /// The node hash of each pair of 32-byte children in <paramref name="children"/> (left, right, left, right…), in
    /// order, into <paramref name="parents"/> (half as long); lanes as in <see cref="LeafHashes"/>.
    /// </summary>
    public static void NodeHashes(ReadOnlySpan<byte> children, Span<byte> parents, Sha256Lanes widest)
    {
        if (children.Length % (2 * HashSize) != 0 || parents.Length * 2 != children.Length)
        {
            throw new ArgumentException("Children come in pairs of 32-byte hashes, and each pair has one 32-byte parent.");
        }

        if (children.Overlaps(parents))
        {
            throw new ArgumentException("A level of parents cannot overlap its children.");
        }

        var count = parents.Length / HashSize;
        var done = 0;
        if (widest >= Sha256Lanes.Sixteen)
        {
            done = Nodes<Lanes16, Vector512<uint>>(children, parents, done, count);
        }

        if (widest >= Sha256Lanes.Eight)
        {
            done = Nodes<Lanes8, Vector256<uint>>(children, parents, done, count);
        }

        for (; done < count; done++)
        {
            var pair = children.Slice(done * 2 * HashSize, 2 * HashSize);
            MerkleTree.NodeHash(pair[..HashSize], pair[HashSize..], parents.Slice(done * HashSize, HashSize));
        }
    }

    private static int Leaves<TLanes, TVector>(ReadOnlySpan<byte> leaves, Span<byte> destination, int done, int count)
        where TLanes : ILanes<TVector>
        where TVector : unmanaged
    {
        var lanes = TLanes.Count;
        Span<uint> words = stackalloc uint[16 * MaxLanes];
        var state = new Words<TVector>();
        var w = new Schedule<TVector>();
        for (; count - done >= lanes; done += lanes)
        {
            Transpose(leaves.Slice(done * HashSize, lanes * HashSize), HashSize / 4, lanes, words);

            // Behind the 0x00 prefix the input is one byte late: message word j is the last byte of input word j - 1
            // and the first three of input word j, (c[j - 1] << 24) | (c[j] >> 8) as big-endian words.
            var previous = TLanes.Broadcast(0x00);
            for (var j = 0; j < HashSize / 4; j++)
            {
                var c = TLanes.Load(words.Slice(j * lanes, lanes));
                w[j] = TLanes.Or(TLanes.ShiftRight(c, 8), TLanes.ShiftLeft(previous, 24));
                previous = c;
            }

            w[8] = TLanes.Or(TLanes.ShiftLeft(previous, 24), TLanes.Broadcast(0x00800000));
            for (var j = 9; j < 15; j++)
            {
                w[j] = TLanes.Broadcast(0);
            }

            w[15] = TLanes.Broadcast(LeafBits);
            for (var j = 0; j < 8; j++)
            {
                state[j] = TLanes.Broadcast(Initial[j]);
            }

            Compress<TLanes, TVector>(ref state, ref w);
            Untranspose<TLanes, TVector>(ref state, lanes, words, destination.Slice(done * HashSize, lanes * HashSize));
        }

        return done;
    }

    private static int Nodes<TLanes, TVector>(ReadOnlySpan<byte> children, Span<byte> parents, int done, int count)
        where TLanes : ILanes<TVector>
        where TVector : unmanaged
    {
        var lanes = TLanes.Count;
        Span<uint> words = stackalloc uint[16 * MaxLanes];
        var state = new Words<TVector>();
        var w = new Schedule<TVector>();
        for (; count - done >= lanes; done += lanes)
        {
            Transpose(children.Slice(done * 2 * HashSize, lanes * 2 * HashSize), 2 * HashSize / 4, lanes, words);

            // First block: 0x01 and the first 63 bytes of the children, shifted as for a leaf.
            var previous = TLanes.Broadcast(0x01);
            for (var j = 0; j < 16; j++)
            {
                var c = TLanes.Load(words.Slice(j * lanes, lanes));
                w[j] = TLanes.Or(TLanes.ShiftRight(c, 8), TLanes.ShiftLeft(previous, 24));
                previous = c;
            }

            for (var j = 0; j < 8; j++)
            {
                state[j] = TLanes.Broadcast(Initial[j]);
            }

            Compress<TLanes, TVector>(ref state, ref w);

            // Second block: the last byte of the right child, then padding and the length; only word 0 differs by lane.
            w[0] = TLanes.Or(TLanes.ShiftLeft(previous, 24), TLanes.Broadcast(0x00800000));
            for (var j = 1; j < 15; j++)
            {
                w[j] = TLanes.Broadcast(0);
            }

            w[15] = TLanes.Broadcast(NodeBits);
            Compress<TLanes, TVector>(ref state, ref w);
            Untranspose<TLanes, TVector>(ref state, lanes, words, parents.Slice(done * HashSize, lanes * HashSize));
        }

        return done;
    }

    /// <summary>Big-endian word j of message i into <c>words[j · lanes + i]</c>: one vector per word position.</summary>
    private static void Transpose(ReadOnlySpan<byte> messages, int wordsPerMessage, int lanes, Span<uint> words)
    {
        var stride = wordsPerMessage * 4;
        for (var i = 0; i < lanes; i++)
        {
            var message = messages.Slice(i * stride, stride);
            for (var j = 0; j < wordsPerMessage; j++)
            {
                words[(j * lanes) + i] = BinaryPrimitives.ReadUInt32BigEndian(message[(4 * j)..]);
            }
        }
    }

    /// <summary>Each lane's eight state words, big-endian, as that message's hash.</summary>
    private static void Untranspose<TLanes, TVector>(ref Words<TVector> state, int lanes, Span<uint> words, Span<byte> hashes)
        where TLanes : ILanes<TVector>
        where TVector : unmanaged
    {
        for (var j = 0; j < 8; j++)
        {
            TLanes.Store(state[j], words.Slice(j * lanes, lanes));
        }

        for (var i = 0; i < lanes; i++)
        {
            var hash = hashes.Slice(i * HashSize, HashSize);
            for (var j = 0; j < 8; j++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(hash[(4 * j)..], words[(j * lanes) + i]);
            }
        }
    }

    /// <summary>FIPS 180-4 §6.2.2 on one block per lane: <paramref name="w"/> holds the block's 16 words and is expanded in place.</summary>
    private static void Compress<TLanes, TVector>(ref Words<TVector> state, ref Schedule<TVector> w)
        where TLanes : ILanes<TVector>
        where TVector : unmanaged
    {
        for (var t = 16; t < 64; t++)
        {
            w[t] = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(w[t - 2]), w[t - 7]), TLanes.Add(TLanes.SmallSigma0(w[t - 15]), w[t - 16]));
        }

        var a = state[0];
        var b = state[1];
        var c = state[2];
        var d = state[3];
        var e = state[4];
        var f = state[5];
        var g = state[6];
        var h = state[7];

        // Eight rounds per iteration, the variables renamed instead of shifted along.
        for (var t = 0; t < 64; t += 8)
        {
            Round<TLanes, TVector>(a, b, c, ref d, e, f, g, ref h, w[t], K[t]);
            Round<TLanes, TVector>(h, a, b, ref c, d, e, f, ref g, w[t + 1], K[t + 1]);
            Round<TLanes, TVector>(g, h, a, ref b, c, d, e, ref f, w[t + 2], K[t + 2]);
            Round<TLanes, TVector>(f, g, h, ref a, b, c, d, ref e, w[t + 3], K[t + 3]);
            Round<TLanes, TVector>(e, f, g, ref h, a, b, c, ref d, w[t + 4], K[t + 4]);
            Round<TLanes, TVector>(d, e, f, ref g, h, a, b, ref c, w[t + 5], K[t + 5]);
            Round<TLanes, TVector>(c, d, e, ref f, g, h, a, ref b, w[t + 6], K[t + 6]);
            Round<TLanes, TVector>(b, c, d, ref e, f, g, h, ref a, w[t + 7], K[t + 7]);
        }

        state[0] = TLanes.Add(state[0], a);
        state[1] = TLanes.Add(state[1], b);
        state[2] = TLanes.Add(state[2], c);
        state[3] = TLanes.Add(state[3], d);
        state[4] = TLanes.Add(state[4], e);
        state[5] = TLanes.Add(state[5], f);
        state[6] = TLanes.Add(state[6], g);
        state[7] = TLanes.Add(state[7], h);
    }

    /// <summary>One round: T1 = h + Σ1(e) + Ch(e, f, g) + K + W; d += T1; h = T1 + Σ0(a) + Maj(a, b, c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round<TLanes, TVector>(TVector a, TVector b, TVector c, ref TVector d, TVector e, TVector f, TVector g, ref TVector h, TVector w, uint k)
        where TLanes : ILanes<TVector>
        where TVector : unmanaged
    {
        var t1 = TLanes.Add(TLanes.Add(h, TLanes.BigSigma1(e)), TLanes.Add(TLanes.Choose(e, f, g), TLanes.Add(w, TLanes.Broadcast(k))));
        d = TLanes.Add(d, t1);
        h = TLanes.Add(t1, TLanes.Add(TLanes.BigSigma0(a), TLanes.Majority(a, b, c)));
    }

    /// <summary>The operations SHA-256 needs, on one 32-bit word per lane.</summary>
    private interface ILanes<TVector>
        where TVector : unmanaged
    {
        static abstract int Count { get; }

        static abstract TVector Broadcast(uint value);

        static abstract TVector Load(ReadOnlySpan<uint> source);

        static abstract void Store(TVector value, Span<uint> destination);

        static abstract TVector Add(TVector left, TVector right);

        static abstract TVector Or(TVector left, TVector right);

        static abstract TVector ShiftLeft(TVector value, [ConstantExpected] int count);

        static abstract TVector ShiftRight(TVector value, [ConstantExpected] int count);

        /// <summary>Σ0(x) = ROTR²(x) ⊕ ROTR¹³(x) ⊕ ROTR²²(x).</summary>
        static abstract TVector BigSigma0(TVector x);

        /// <summary>Σ1(x) = ROTR⁶(x) ⊕ ROTR¹¹(x) ⊕ ROTR²⁵(x).</summary>
        static abstract TVector BigSigma1(TVector x);

        /// <summary>σ0(x) = ROTR⁷(x) ⊕ ROTR¹⁸(x) ⊕ SHR³(x).</summary>
        static abstract TVector SmallSigma0(TVector x);

        /// <summary>σ1(x) = ROTR¹⁷(x) ⊕ ROTR¹⁹(x) ⊕ SHR¹⁰(x).</summary>
        static abstract TVector SmallSigma1(TVector x);

        /// <summary>Ch(x, y, z) = (x ∧ y) ⊕ (¬x ∧ z): y where x is set, else z.</summary>
        static abstract TVector Choose(TVector x, TVector y, TVector z);

        /// <summary>Maj(x, y, z) = (x ∧ y) ⊕ (x ∧ z) ⊕ (y ∧ z): z where x and y differ, else x.</summary>
        static abstract TVector Majority(TVector x, TVector y, TVector z);
    }

    /// <summary>
    /// Sixteen lanes. With AVX-512F (whenever this width is chosen for speed) rotations and three-way XORs are single
    /// instructions; without it (only when a test forces this width) they are shifts and ORs, emulated.
    /// </summary>
    private readonly struct Lanes16 : ILanes<Vector512<uint>>
    {
        public static int Count => Vector512<uint>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> Broadcast(uint value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> Load(ReadOnlySpan<uint> source) => Vector512.Create(source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<uint> value, Span<uint> destination) => value.CopyTo(destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> Add(Vector512<uint> left, Vector512<uint> right) => left + right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> Or(Vector512<uint> left, Vector512<uint> right) => left | right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> ShiftLeft(Vector512<uint> value, [ConstantExpected] int count) => value << count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> ShiftRight(Vector512<uint> value, [ConstantExpected] int count) => value >>> count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> BigSigma0(Vector512<uint> x) => Xor3(Rotr(x, 2), Rotr(x, 13), Rotr(x, 22));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> BigSigma1(Vector512<uint> x) => Xor3(Rotr(x, 6), Rotr(x, 11), Rotr(x, 25));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> SmallSigma0(Vector512<uint> x) => Xor3(Rotr(x, 7), Rotr(x, 18), x >>> 3);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> SmallSigma1(Vector512<uint> x) => Xor3(Rotr(x, 17), Rotr(x, 19), x >>> 10);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> Choose(Vector512<uint> x, Vector512<uint> y, Vector512<uint> z) =>
            Avx512F.IsSupported ? Avx512F.TernaryLogic(x, y, z, 0xCA) : Vector512.ConditionalSelect(x, y, z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> Majority(Vector512<uint> x, Vector512<uint> y, Vector512<uint> z) =>
            Avx512F.IsSupported ? Avx512F.TernaryLogic(x, y, z, 0xE8) : Vector512.ConditionalSelect(x ^ y, z, x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<uint> Rotr(Vector512<uint> x, [ConstantExpected] byte n) =>
            Avx512F.IsSupported ? Avx512F.RotateRight(x, n) : (x >>> n) | (x << (32 - n));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<uint> Xor3(Vector512<uint> x, Vector512<uint> y, Vector512<uint> z) =>
            Avx512F.IsSupported ? Avx512F.TernaryLogic(x, y, z, 0x96) : x ^ y ^ z;
    }

    /// <summary>Eight lanes (AVX2): rotations as shifts and ORs, so the tests run this form on any machine.</summary>
    private readonly struct Lanes8 : ILanes<Vector256<uint>>
    {
        public static int Count => Vector256<uint>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> Broadcast(uint value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> Load(ReadOnlySpan<uint> source) => Vector256.Create(source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<uint> value, Span<uint> destination) => value.CopyTo(destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> Add(Vector256<uint> left, Vector256<uint> right) => left + right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> Or(Vector256<uint> left, Vector256<uint> right) => left | right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> ShiftLeft(Vector256<uint> value, [ConstantExpected] int count) => value << count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> ShiftRight(Vector256<uint> value, [ConstantExpected] int count) => value >>> count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> BigSigma0(Vector256<uint> x) => Rotr(x, 2) ^ Rotr(x, 13) ^ Rotr(x, 22);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> BigSigma1(Vector256<uint> x) => Rotr(x, 6) ^ Rotr(x, 11) ^ Rotr(x, 25);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> SmallSigma0(Vector256<uint> x) => Rotr(x, 7) ^ Rotr(x, 18) ^ (x >>> 3);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> SmallSigma1(Vector256<uint> x) => Rotr(x, 17) ^ Rotr(x, 19) ^ (x >>> 10);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> Choose(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => Vector256.ConditionalSelect(x, y, z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> Majority(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => Vector256.ConditionalSelect(x ^ y, z, x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<uint> Rotr(Vector256<uint> x, int n) => (x >>> n) | (x << (32 - n));
    }

    [InlineArray(8)]
    private struct Words<T>
    {
        private T _element;
    }

    [InlineArray(64)]
    private struct Schedule<T>
    {
        private T _element;
    }
}
