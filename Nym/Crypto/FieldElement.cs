using System.Buffers.Binary;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// An element of GF(2^255 - 19) in five 51-bit limbs. Every operation runs in constant time:
/// no branch or memory access depends on the value.
/// </summary>
internal readonly struct FieldElement
{
    private const ulong Mask51 = (1UL << 51) - 1;

    private readonly ulong _l0, _l1, _l2, _l3, _l4;

    private FieldElement(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        _l0 = l0; _l1 = l1; _l2 = l2; _l3 = l3; _l4 = l4;
    }

    public static FieldElement Zero => new(0, 0, 0, 0, 0);
    public static FieldElement One => new(1, 0, 0, 0, 0);
    public static FieldElement FromUInt(ulong v) => new(v, 0, 0, 0, 0);

    /// <summary>Loads 32 little-endian bytes, ignoring the top bit as curve25519 does.</summary>
    public static FieldElement FromBytes(ReadOnlySpan<byte> b)
    {
        ulong w0 = BinaryPrimitives.ReadUInt64LittleEndian(b);
        ulong w1 = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        ulong w2 = BinaryPrimitives.ReadUInt64LittleEndian(b[16..]);
        ulong w3 = BinaryPrimitives.ReadUInt64LittleEndian(b[24..]);
        return new FieldElement(
            w0 & Mask51,
            ((w0 >> 51) | (w1 << 13)) & Mask51,
            ((w1 >> 38) | (w2 << 26)) & Mask51,
            ((w2 >> 25) | (w3 << 39)) & Mask51,
            (w3 >> 12) & Mask51);
    }

    /// <summary>Writes the canonical (fully reduced) little-endian encoding.</summary>
    public void ToBytes(Span<byte> output)
    {
        var t = Carry(this);
        ulong l0 = t._l0, l1 = t._l1, l2 = t._l2, l3 = t._l3, l4 = t._l4;

        // q = 1 iff the value is >= p; then subtract p by adding 19 and dropping bit 255.
        ulong q = (l0 + 19) >> 51;
        q = (l1 + q) >> 51;
        q = (l2 + q) >> 51;
        q = (l3 + q) >> 51;
        q = (l4 + q) >> 51;

        l0 += 19 * q;
        l1 += l0 >> 51; l0 &= Mask51;
        l2 += l1 >> 51; l1 &= Mask51;
        l3 += l2 >> 51; l2 &= Mask51;
        l4 += l3 >> 51; l3 &= Mask51;
        l4 &= Mask51;

        BinaryPrimitives.WriteUInt64LittleEndian(output, l0 | (l1 << 51));
        BinaryPrimitives.WriteUInt64LittleEndian(output[8..], (l1 >> 13) | (l2 << 38));
        BinaryPrimitives.WriteUInt64LittleEndian(output[16..], (l2 >> 26) | (l3 << 25));
        BinaryPrimitives.WriteUInt64LittleEndian(output[24..], (l3 >> 39) | (l4 << 12));
    }

    public static FieldElement operator +(FieldElement a, FieldElement b) =>
        Carry(new FieldElement(a._l0 + b._l0, a._l1 + b._l1, a._l2 + b._l2, a._l3 + b._l3, a._l4 + b._l4));

    public static FieldElement operator -(FieldElement a, FieldElement b)
    {
        // Add 16p first so that no limb underflows; inputs are carried (limbs < 2^52).
        const ulong P0x16 = 36028797018963664UL; // 16 * (2^51 - 19)
        const ulong Px16 = 36028797018963952UL;  // 16 * (2^51 - 1)
        return Carry(new FieldElement(
            a._l0 + P0x16 - b._l0,
            a._l1 + Px16 - b._l1,
            a._l2 + Px16 - b._l2,
            a._l3 + Px16 - b._l3,
            a._l4 + Px16 - b._l4));
    }

    public static FieldElement operator *(FieldElement a, FieldElement b)
    {
        ulong b1_19 = b._l1 * 19, b2_19 = b._l2 * 19, b3_19 = b._l3 * 19, b4_19 = b._l4 * 19;

        UInt128 r0 = M(a._l0, b._l0) + M(a._l1, b4_19) + M(a._l2, b3_19) + M(a._l3, b2_19) + M(a._l4, b1_19);
        UInt128 r1 = M(a._l0, b._l1) + M(a._l1, b._l0) + M(a._l2, b4_19) + M(a._l3, b3_19) + M(a._l4, b2_19);
        UInt128 r2 = M(a._l0, b._l2) + M(a._l1, b._l1) + M(a._l2, b._l0) + M(a._l3, b4_19) + M(a._l4, b3_19);
        UInt128 r3 = M(a._l0, b._l3) + M(a._l1, b._l2) + M(a._l2, b._l1) + M(a._l3, b._l0) + M(a._l4, b4_19);
        UInt128 r4 = M(a._l0, b._l4) + M(a._l1, b._l3) + M(a._l2, b._l2) + M(a._l3, b._l1) + M(a._l4, b._l0);

        return Reduce(r0, r1, r2, r3, r4);
    }

    public FieldElement Square() => this * this;

    public FieldElement Square(int times)
    {
        var r = this;
        for (int i = 0; i < times; i++)
        {
            r = r * r;
        }
        return r;
    }

    /// <summary>a^(p-2) by the usual addition chain; the exponent is public.</summary>
    public FieldElement Invert()
    {
        var (z2_250_0, z11) = Pow2To250Minus1();
        return z2_250_0.Square(5) * z11;
    }

    /// <summary>a^((p-5)/8), used for square roots.</summary>
    public FieldElement PowP58()
    {
        var (z2_250_0, _) = Pow2To250Minus1();
        return z2_250_0.Square(2) * this;
    }

    /// <summary>a^(2^250 - 1) and a^11: the shared part of the inversion and square-root chains.</summary>
    private (FieldElement Z2To250Minus1, FieldElement Z11) Pow2To250Minus1()
    {
        var z2 = Square();
        var z9 = z2.Square(2) * this;
        var z11 = z9 * z2;
        var z2_5_0 = z11.Square() * z9;
        var z2_10_0 = z2_5_0.Square(5) * z2_5_0;
        var z2_20_0 = z2_10_0.Square(10) * z2_10_0;
        var z2_40_0 = z2_20_0.Square(20) * z2_20_0;
        var z2_50_0 = z2_40_0.Square(10) * z2_10_0;
        var z2_100_0 = z2_50_0.Square(50) * z2_50_0;
        var z2_200_0 = z2_100_0.Square(100) * z2_100_0;
        return (z2_200_0.Square(50) * z2_50_0, z11);
    }

    public bool IsZero()
    {
        Span<byte> bytes = stackalloc byte[32];
        ToBytes(bytes);
        byte acc = 0;
        foreach (var b in bytes)
        {
            acc |= b;
        }
        return acc == 0;
    }

    /// <summary>Swaps a and b when choice is 1; choice must be 0 or 1.</summary>
    public static void ConditionalSwap(ref FieldElement a, ref FieldElement b, ulong choice)
    {
        ulong mask = 0 - choice;
        ulong t0 = mask & (a._l0 ^ b._l0);
        ulong t1 = mask & (a._l1 ^ b._l1);
        ulong t2 = mask & (a._l2 ^ b._l2);
        ulong t3 = mask & (a._l3 ^ b._l3);
        ulong t4 = mask & (a._l4 ^ b._l4);
        a = new FieldElement(a._l0 ^ t0, a._l1 ^ t1, a._l2 ^ t2, a._l3 ^ t3, a._l4 ^ t4);
        b = new FieldElement(b._l0 ^ t0, b._l1 ^ t1, b._l2 ^ t2, b._l3 ^ t3, b._l4 ^ t4);
    }

    private static UInt128 M(ulong a, ulong b) => (UInt128)a * b;

    private static FieldElement Reduce(UInt128 r0, UInt128 r1, UInt128 r2, UInt128 r3, UInt128 r4)
    {
        r1 += (ulong)(r0 >> 51);
        ulong l0 = (ulong)r0 & Mask51;
        r2 += (ulong)(r1 >> 51);
        ulong l1 = (ulong)r1 & Mask51;
        r3 += (ulong)(r2 >> 51);
        ulong l2 = (ulong)r2 & Mask51;
        r4 += (ulong)(r3 >> 51);
        ulong l3 = (ulong)r3 & Mask51;
        ulong carry = (ulong)(r4 >> 51);
        ulong l4 = (ulong)r4 & Mask51;
        l0 += carry * 19;
        l1 += l0 >> 51;
        l0 &= Mask51;
        return new FieldElement(l0, l1, l2, l3, l4);
    }

    private static FieldElement Carry(FieldElement a)
    {
        ulong l0 = a._l0, l1 = a._l1, l2 = a._l2, l3 = a._l3, l4 = a._l4;
        l1 += l0 >> 51; l0 &= Mask51;
        l2 += l1 >> 51; l1 &= Mask51;
        l3 += l2 >> 51; l2 &= Mask51;
        l4 += l3 >> 51; l3 &= Mask51;
        l0 += (l4 >> 51) * 19; l4 &= Mask51;
        l1 += l0 >> 51; l0 &= Mask51;
        return new FieldElement(l0, l1, l2, l3, l4);
    }
}
