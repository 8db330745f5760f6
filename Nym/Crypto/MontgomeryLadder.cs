namespace NymGateway.Nym.Crypto;

/// <summary>
/// Scalar multiplication of a Montgomery u-coordinate by an arbitrary 255-bit scalar, exactly as
/// curve25519-dalek's <c>MontgomeryPoint * Scalar</c> does it (Costello–Smith ladder, no clamping).
/// libsodium's X25519 always clamps, so Sphinx blinding and packet creation need this.
/// Constant time: the loop and the swaps do not depend on the scalar's value.
/// </summary>
internal static class MontgomeryLadder
{
    private static readonly FieldElement APlus2Over4 = FieldElement.FromUInt(121666);

    public static void Multiply(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> u, Span<byte> output)
    {
        var affineU = FieldElement.FromBytes(u);
        var x0u = FieldElement.One;
        var x0w = FieldElement.Zero;
        var x1u = affineU;
        var x1w = FieldElement.One;

        for (int i = 254; i >= 0; i--)
        {
            ulong choice = (ulong)(Bit(scalar, i + 1) ^ Bit(scalar, i));
            FieldElement.ConditionalSwap(ref x0u, ref x1u, choice);
            FieldElement.ConditionalSwap(ref x0w, ref x1w, choice);
            DifferentialAddAndDouble(ref x0u, ref x0w, ref x1u, ref x1w, affineU);
        }

        ulong last = (ulong)Bit(scalar, 0);
        FieldElement.ConditionalSwap(ref x0u, ref x1u, last);
        FieldElement.ConditionalSwap(ref x0w, ref x1w, last);

        (x0u * x0w.Invert()).ToBytes(output);
    }

    private static int Bit(ReadOnlySpan<byte> scalar, int i) => (scalar[i >> 3] >> (i & 7)) & 1;

    private static void DifferentialAddAndDouble(
        ref FieldElement pu, ref FieldElement pw, ref FieldElement qu, ref FieldElement qw, FieldElement affinePmQ)
    {
        var t0 = pu + pw;
        var t1 = pu - pw;
        var t2 = qu + qw;
        var t3 = qu - qw;
        var t4 = t0.Square();
        var t5 = t1.Square();
        var t6 = t4 - t5;
        var t7 = t0 * t3;
        var t8 = t1 * t2;
        var t9 = t7 + t8;
        var t10 = t7 - t8;
        var t11 = t9.Square();
        var t12 = t10.Square();
        var t13 = APlus2Over4 * t6;
        var t14 = t4 * t5;
        var t15 = t13 + t5;
        var t16 = t6 * t15;
        var t17 = affinePmQ * t12;

        pu = t14;
        pw = t16;
        qu = t11;
        qw = t17;
    }
}
