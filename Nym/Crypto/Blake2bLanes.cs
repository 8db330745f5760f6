using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// Keyed BLAKE2b-256 (RFC 7693, 64-byte key) of up to eight messages of one length at once, one
/// per AVX-512 lane. One message is a single dependent chain that libsodium already runs near its
/// latency; eight independent chains fill the vector units instead.
/// </summary>
internal static class Blake2bLanes
{
    public const int Lanes = 8;
    public const int KeySize = 64;
    public const int DigestSize = 32;
    private const int BlockSize = 128;

    public static bool IsSupported => Avx512F.IsSupported;

    private static ReadOnlySpan<ulong> InitialVector =>
    [
        0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
    ];

    private static ReadOnlySpan<byte> Sigma =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
    ];

    /// <summary>
    /// Hashes one message per lane, all <paramref name="length"/> bytes long: lane <c>i</c>'s key is
    /// at <c>keys[keyOffsets[i]..]</c>, its message at <c>messages[messageOffsets[i]..]</c>, and its
    /// digest goes to <c>digests[i * 32..]</c>.
    /// </summary>
    public static unsafe void Hash(ReadOnlySpan<byte> keys, ReadOnlySpan<int> keyOffsets, ReadOnlySpan<byte> messages,
        ReadOnlySpan<int> messageOffsets, int length, Span<byte> digests)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("BLAKE2b lanes need AVX-512");
        }
        int lanes = keyOffsets.Length;
        if (lanes is < 1 or > Lanes || messageOffsets.Length != lanes || length < 0 || digests.Length < lanes * DigestSize)
        {
            throw new ArgumentException("one to eight lanes, each with a key, a message and a digest");
        }
        for (int l = 0; l < lanes; l++)
        {
            _ = keys.Slice(keyOffsets[l], KeySize);
            _ = messages.Slice(messageOffsets[l], length);
        }

        var h = stackalloc Vector512<ulong>[8];
        for (int i = 0; i < 8; i++)
        {
            h[i] = Vector512.Create(InitialVector[i]);
        }
        // parameter block: digest length, key length, fanout 1, depth 1
        h[0] ^= Vector512.Create(0x01010000UL | (KeySize << 8) | DigestSize);

        var words = stackalloc Vector512<ulong>[16];
        var tail = stackalloc byte[Lanes * BlockSize];
        try
        {
            fixed (byte* keyBase = keys)
            fixed (byte* messageBase = messages)
            {
                // the key, zero-padded to a block, is the first block
                var rows = stackalloc byte*[Lanes];
                new Span<byte>(tail, Lanes * BlockSize).Clear();
                for (int l = 0; l < Lanes; l++)
                {
                    int lane = Math.Min(l, lanes - 1);
                    new ReadOnlySpan<byte>(keyBase + keyOffsets[lane], KeySize).CopyTo(new Span<byte>(tail + l * BlockSize, KeySize));
                    rows[l] = tail + l * BlockSize;
                }
                ulong counter = BlockSize;
                Transpose(rows, words);
                Compress(h, words, counter, last: length == 0);

                int full = length == 0 ? 0 : (length - 1) / BlockSize;
                for (int b = 0; b < full; b++)
                {
                    for (int l = 0; l < Lanes; l++)
                    {
                        rows[l] = messageBase + messageOffsets[Math.Min(l, lanes - 1)] + b * BlockSize;
                    }
                    counter += BlockSize;
                    Transpose(rows, words);
                    Compress(h, words, counter, last: false);
                }
                if (length > 0)
                {
                    int rest = length - full * BlockSize;
                    new Span<byte>(tail, Lanes * BlockSize).Clear();
                    for (int l = 0; l < Lanes; l++)
                    {
                        byte* source = messageBase + messageOffsets[Math.Min(l, lanes - 1)] + full * BlockSize;
                        new ReadOnlySpan<byte>(source, rest).CopyTo(new Span<byte>(tail + l * BlockSize, rest));
                        rows[l] = tail + l * BlockSize;
                    }
                    counter += (ulong)rest;
                    Transpose(rows, words);
                    Compress(h, words, counter, last: true);
                }
            }

            for (int l = 0; l < lanes; l++)
            {
                for (int w = 0; w < DigestSize / 8; w++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(digests[(l * DigestSize + w * 8)..], h[w].GetElement(l));
                }
            }
        }
        finally
        {
            // the keyed state and the key block are secret
            new Span<byte>(h, 8 * 64).Clear();
            new Span<byte>(words, 16 * 64).Clear();
            new Span<byte>(tail, Lanes * BlockSize).Clear();
        }
    }

    /// <summary>Block word <c>w</c> of every lane into <c>words[w]</c>: two 8×8 transposes of 64-bit words.</summary>
    private static unsafe void Transpose(byte** rows, Vector512<ulong>* words)
    {
        for (int half = 0; half < 2; half++)
        {
            var r0 = Vector512.Load((ulong*)rows[0] + half * 8);
            var r1 = Vector512.Load((ulong*)rows[1] + half * 8);
            var r2 = Vector512.Load((ulong*)rows[2] + half * 8);
            var r3 = Vector512.Load((ulong*)rows[3] + half * 8);
            var r4 = Vector512.Load((ulong*)rows[4] + half * 8);
            var r5 = Vector512.Load((ulong*)rows[5] + half * 8);
            var r6 = Vector512.Load((ulong*)rows[6] + half * 8);
            var r7 = Vector512.Load((ulong*)rows[7] + half * 8);

            // pairs of lanes: t0 holds words 0,2,4,6 of r0 and r1 interleaved; t1 words 1,3,5,7
            var t0 = Avx512F.UnpackLow(r0, r1);
            var t1 = Avx512F.UnpackHigh(r0, r1);
            var t2 = Avx512F.UnpackLow(r2, r3);
            var t3 = Avx512F.UnpackHigh(r2, r3);
            var t4 = Avx512F.UnpackLow(r4, r5);
            var t5 = Avx512F.UnpackHigh(r4, r5);
            var t6 = Avx512F.UnpackLow(r6, r7);
            var t7 = Avx512F.UnpackHigh(r6, r7);

            // quads of lanes: u0 words 0 and 4 of r0..r3, u1 words 2 and 6, u2 words 1 and 5, u3 words 3 and 7
            var even = Vector512.Create(0UL, 1, 8, 9, 4, 5, 12, 13);
            var odd = Vector512.Create(2UL, 3, 10, 11, 6, 7, 14, 15);
            var u0 = Avx512F.PermuteVar8x64x2(t0, even, t2);
            var u1 = Avx512F.PermuteVar8x64x2(t0, odd, t2);
            var u2 = Avx512F.PermuteVar8x64x2(t1, even, t3);
            var u3 = Avx512F.PermuteVar8x64x2(t1, odd, t3);
            var u4 = Avx512F.PermuteVar8x64x2(t4, even, t6);
            var u5 = Avx512F.PermuteVar8x64x2(t4, odd, t6);
            var u6 = Avx512F.PermuteVar8x64x2(t5, even, t7);
            var u7 = Avx512F.PermuteVar8x64x2(t5, odd, t7);

            var low = Vector512.Create(0UL, 1, 2, 3, 8, 9, 10, 11);
            var high = Vector512.Create(4UL, 5, 6, 7, 12, 13, 14, 15);
            var w = words + half * 8;
            w[0] = Avx512F.PermuteVar8x64x2(u0, low, u4);
            w[4] = Avx512F.PermuteVar8x64x2(u0, high, u4);
            w[2] = Avx512F.PermuteVar8x64x2(u1, low, u5);
            w[6] = Avx512F.PermuteVar8x64x2(u1, high, u5);
            w[1] = Avx512F.PermuteVar8x64x2(u2, low, u6);
            w[5] = Avx512F.PermuteVar8x64x2(u2, high, u6);
            w[3] = Avx512F.PermuteVar8x64x2(u3, low, u7);
            w[7] = Avx512F.PermuteVar8x64x2(u3, high, u7);
        }
    }

    private static unsafe void Compress(Vector512<ulong>* h, Vector512<ulong>* m, ulong counter, bool last)
    {
        var v0 = h[0];
        var v1 = h[1];
        var v2 = h[2];
        var v3 = h[3];
        var v4 = h[4];
        var v5 = h[5];
        var v6 = h[6];
        var v7 = h[7];
        var v8 = Vector512.Create(InitialVector[0]);
        var v9 = Vector512.Create(InitialVector[1]);
        var v10 = Vector512.Create(InitialVector[2]);
        var v11 = Vector512.Create(InitialVector[3]);
        var v12 = Vector512.Create(InitialVector[4] ^ counter);
        var v13 = Vector512.Create(InitialVector[5]);
        var v14 = Vector512.Create(last ? ~InitialVector[6] : InitialVector[6]);
        var v15 = Vector512.Create(InitialVector[7]);

        var sigma = Sigma;
        for (int r = 0; r < 12; r++)
        {
            var s = sigma.Slice(r * 16, 16);
            G(ref v0, ref v4, ref v8, ref v12, m[s[0]], m[s[1]]);
            G(ref v1, ref v5, ref v9, ref v13, m[s[2]], m[s[3]]);
            G(ref v2, ref v6, ref v10, ref v14, m[s[4]], m[s[5]]);
            G(ref v3, ref v7, ref v11, ref v15, m[s[6]], m[s[7]]);
            G(ref v0, ref v5, ref v10, ref v15, m[s[8]], m[s[9]]);
            G(ref v1, ref v6, ref v11, ref v12, m[s[10]], m[s[11]]);
            G(ref v2, ref v7, ref v8, ref v13, m[s[12]], m[s[13]]);
            G(ref v3, ref v4, ref v9, ref v14, m[s[14]], m[s[15]]);
        }

        h[0] ^= v0 ^ v8;
        h[1] ^= v1 ^ v9;
        h[2] ^= v2 ^ v10;
        h[3] ^= v3 ^ v11;
        h[4] ^= v4 ^ v12;
        h[5] ^= v5 ^ v13;
        h[6] ^= v6 ^ v14;
        h[7] ^= v7 ^ v15;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector512<ulong> a, ref Vector512<ulong> b, ref Vector512<ulong> c, ref Vector512<ulong> d,
        Vector512<ulong> x, Vector512<ulong> y)
    {
        a += b + x;
        d = Avx512F.RotateRight(d ^ a, 32);
        c += d;
        b = Avx512F.RotateRight(b ^ c, 24);
        a += b + y;
        d = Avx512F.RotateRight(d ^ a, 16);
        c += d;
        b = Avx512F.RotateRight(b ^ c, 63);
    }
}
