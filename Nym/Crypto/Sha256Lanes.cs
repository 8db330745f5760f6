using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// SHA-256's compression function (FIPS 180-4) on sixteen independent states at once, one per
/// AVX-512 lane, words held lane-wise: <c>state[i]</c> is chaining word <c>i</c> of every lane.
/// SHA-NI hashes one block at a time through a dependent chain; sixteen chains fill the vector units.
/// </summary>
internal static unsafe class Sha256Lanes
{
    public const int Lanes = 16;

    public static bool IsSupported => Avx512F.IsSupported;

    private static ReadOnlySpan<uint> RoundConstants =>
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

    private static ReadOnlySpan<uint> InitialState =>
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    /// <summary>The initial chaining value in every lane.</summary>
    public static void Initialize(Vector512<uint>* state)
    {
        for (int i = 0; i < 8; i++)
        {
            state[i] = Vector512.Create(InitialState[i]);
        }
    }

    /// <summary>Compresses one block per lane; <paramref name="block"/> holds its sixteen words lane-wise and is overwritten.</summary>
    public static void Compress(Vector512<uint>* state, Vector512<uint>* block)
    {
        var a = state[0];
        var b = state[1];
        var c = state[2];
        var d = state[3];
        var e = state[4];
        var f = state[5];
        var g = state[6];
        var h = state[7];
        var k = RoundConstants;
        for (int t = 0; t < 64; t += 8)
        {
            if (t >= 16)
            {
                for (int i = 0; i < 8; i++)
                {
                    Schedule(block, t + i);
                }
            }
            var w = block + (t & 15);
            Round(a, b, c, ref d, e, f, g, ref h, k[t], w[0]);
            Round(h, a, b, ref c, d, e, f, ref g, k[t + 1], w[1]);
            Round(g, h, a, ref b, c, d, e, ref f, k[t + 2], w[2]);
            Round(f, g, h, ref a, b, c, d, ref e, k[t + 3], w[3]);
            Round(e, f, g, ref h, a, b, c, ref d, k[t + 4], w[4]);
            Round(d, e, f, ref g, h, a, b, ref c, k[t + 5], w[5]);
            Round(c, d, e, ref f, g, h, a, ref b, k[t + 6], w[6]);
            Round(b, c, d, ref e, f, g, h, ref a, k[t + 7], w[7]);
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], in a sixteen-word ring.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Schedule(Vector512<uint>* w, int t)
    {
        var w2 = w[(t - 2) & 15];
        var w15 = w[(t - 15) & 15];
        var sigma1 = Avx512F.TernaryLogic(Avx512F.RotateRight(w2, 17), Avx512F.RotateRight(w2, 19), Avx512F.ShiftRightLogical(w2, 10), Xor3);
        var sigma0 = Avx512F.TernaryLogic(Avx512F.RotateRight(w15, 7), Avx512F.RotateRight(w15, 18), Avx512F.ShiftRightLogical(w15, 3), Xor3);
        w[t & 15] += sigma1 + w[(t - 7) & 15] + sigma0;
    }

    private const byte Xor3 = 0x96;
    private const byte Choose = 0xca;
    private const byte Majority = 0xe8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, ref Vector512<uint> d,
        Vector512<uint> e, Vector512<uint> f, Vector512<uint> g, ref Vector512<uint> h, uint k, Vector512<uint> w)
    {
        var sum1 = Avx512F.TernaryLogic(Avx512F.RotateRight(e, 6), Avx512F.RotateRight(e, 11), Avx512F.RotateRight(e, 25), Xor3);
        var t1 = h + sum1 + Avx512F.TernaryLogic(e, f, g, Choose) + Vector512.Create(k) + w;
        var sum0 = Avx512F.TernaryLogic(Avx512F.RotateRight(a, 2), Avx512F.RotateRight(a, 13), Avx512F.RotateRight(a, 22), Xor3);
        d += t1;
        h = t1 + sum0 + Avx512F.TernaryLogic(a, b, c, Majority);
    }
}
