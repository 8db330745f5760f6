using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using AesNi = System.Runtime.Intrinsics.X86.Aes;
using Sse2 = System.Runtime.Intrinsics.X86.Sse2;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// AES-128 in counter mode with a 128-bit big-endian counter starting at the IV (the layout of
/// the Rust aes-ctr crate). .NET has no CTR mode: with AES-NI we run the rounds ourselves on
/// stack-held round keys; elsewhere we encrypt counter blocks with ECB.
/// </summary>
public static class Aes128Ctr
{
    public const int KeySize = 16;
    public const int IvSize = 16;
    private const int Block = 16;

    /// <summary>XORs the keystream into <paramref name="data"/> in place (encrypt and decrypt are the same).</summary>
    public static void Apply(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (key.Length != KeySize || iv.Length != IvSize)
        {
            throw new ArgumentException("AES-128-CTR takes a 16-byte key and a 16-byte IV");
        }

        ulong hi = BinaryPrimitives.ReadUInt64BigEndian(iv);
        ulong lo = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        if (AesNi.IsSupported)
        {
            ApplyAesNi(key, hi, lo, data);
        }
        else
        {
            ApplyEcb(key, hi, lo, data);
        }
    }

    /// <summary>Writes the first <c>output.Length</c> keystream bytes for a zero IV.</summary>
    public static void Keystream(ReadOnlySpan<byte> key, Span<byte> output)
    {
        output.Clear();
        Apply(key, stackalloc byte[IvSize], output);
    }

    private static void ApplyAesNi(ReadOnlySpan<byte> key, ulong hi, ulong lo, Span<byte> data)
    {
        var rk = new RoundKeys();
        Expand(key, ref rk);

        int offset = 0;
        while (data.Length - offset >= 4 * Block)
        {
            var b0 = Counter(hi, lo); Increment(ref hi, ref lo);
            var b1 = Counter(hi, lo); Increment(ref hi, ref lo);
            var b2 = Counter(hi, lo); Increment(ref hi, ref lo);
            var b3 = Counter(hi, lo); Increment(ref hi, ref lo);
            b0 = Sse2.Xor(b0, rk[0]); b1 = Sse2.Xor(b1, rk[0]); b2 = Sse2.Xor(b2, rk[0]); b3 = Sse2.Xor(b3, rk[0]);
            for (int r = 1; r < 10; r++)
            {
                b0 = AesNi.Encrypt(b0, rk[r]); b1 = AesNi.Encrypt(b1, rk[r]);
                b2 = AesNi.Encrypt(b2, rk[r]); b3 = AesNi.Encrypt(b3, rk[r]);
            }
            b0 = AesNi.EncryptLast(b0, rk[10]); b1 = AesNi.EncryptLast(b1, rk[10]);
            b2 = AesNi.EncryptLast(b2, rk[10]); b3 = AesNi.EncryptLast(b3, rk[10]);
            XorBlock(data.Slice(offset, Block), b0);
            XorBlock(data.Slice(offset + Block, Block), b1);
            XorBlock(data.Slice(offset + 2 * Block, Block), b2);
            XorBlock(data.Slice(offset + 3 * Block, Block), b3);
            offset += 4 * Block;
        }

        while (offset < data.Length)
        {
            var b = Sse2.Xor(Counter(hi, lo), rk[0]);
            Increment(ref hi, ref lo);
            for (int r = 1; r < 10; r++)
            {
                b = AesNi.Encrypt(b, rk[r]);
            }
            b = AesNi.EncryptLast(b, rk[10]);
            int n = Math.Min(Block, data.Length - offset);
            if (n == Block)
            {
                XorBlock(data.Slice(offset, Block), b);
            }
            else
            {
                XorPartial(data.Slice(offset, n), b);
            }
            offset += n;
        }
        rk = default;
    }

    private static void ApplyEcb(ReadOnlySpan<byte> key, ulong hi, ulong lo, Span<byte> data)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        Span<byte> counters = stackalloc byte[256];
        Span<byte> stream = stackalloc byte[256];
        for (int offset = 0; offset < data.Length; offset += counters.Length)
        {
            int n = Math.Min(counters.Length, data.Length - offset);
            int blocks = (n + Block - 1) / Block;
            for (int b = 0; b < blocks; b++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(counters[(b * Block)..], hi);
                BinaryPrimitives.WriteUInt64BigEndian(counters[(b * Block + 8)..], lo);
                Increment(ref hi, ref lo);
            }
            aes.EncryptEcb(counters[..(blocks * Block)], stream, PaddingMode.None);
            for (int i = 0; i < n; i++)
            {
                data[offset + i] ^= stream[i];
            }
        }
        CryptographicOperations.ZeroMemory(stream);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Increment(ref ulong hi, ref ulong lo)
    {
        lo++;
        hi += lo == 0 ? 1UL : 0UL;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Counter(ulong hi, ulong lo) =>
        Vector128.Create(BinaryPrimitives.ReverseEndianness(hi), BinaryPrimitives.ReverseEndianness(lo)).AsByte();

    private static void XorPartial(Span<byte> target, Vector128<byte> keystream)
    {
        Span<byte> ks = stackalloc byte[Block];
        keystream.CopyTo(ks);
        for (int i = 0; i < target.Length; i++)
        {
            target[i] ^= ks[i];
        }
        ks.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void XorBlock(Span<byte> target, Vector128<byte> keystream)
    {
        var v = Vector128.Create<byte>(target);
        Sse2.Xor(v, keystream).CopyTo(target);
    }

    private static void Expand(ReadOnlySpan<byte> key, ref RoundKeys rk)
    {
        rk[0] = Vector128.Create<byte>(key);
        rk[1] = ExpandStep(rk[0], AesNi.KeygenAssist(rk[0], 0x01));
        rk[2] = ExpandStep(rk[1], AesNi.KeygenAssist(rk[1], 0x02));
        rk[3] = ExpandStep(rk[2], AesNi.KeygenAssist(rk[2], 0x04));
        rk[4] = ExpandStep(rk[3], AesNi.KeygenAssist(rk[3], 0x08));
        rk[5] = ExpandStep(rk[4], AesNi.KeygenAssist(rk[4], 0x10));
        rk[6] = ExpandStep(rk[5], AesNi.KeygenAssist(rk[5], 0x20));
        rk[7] = ExpandStep(rk[6], AesNi.KeygenAssist(rk[6], 0x40));
        rk[8] = ExpandStep(rk[7], AesNi.KeygenAssist(rk[7], 0x80));
        rk[9] = ExpandStep(rk[8], AesNi.KeygenAssist(rk[8], 0x1B));
        rk[10] = ExpandStep(rk[9], AesNi.KeygenAssist(rk[9], 0x36));
    }

    private static Vector128<byte> ExpandStep(Vector128<byte> key, Vector128<byte> assist)
    {
        assist = Sse2.Shuffle(assist.AsInt32(), 0xFF).AsByte();
        key = Sse2.Xor(key, Sse2.ShiftLeftLogical128BitLane(key, 4));
        key = Sse2.Xor(key, Sse2.ShiftLeftLogical128BitLane(key, 4));
        key = Sse2.Xor(key, Sse2.ShiftLeftLogical128BitLane(key, 4));
        return Sse2.Xor(key, assist);
    }

    [InlineArray(11)]
    private struct RoundKeys
    {
        private Vector128<byte> _element;
    }
}
