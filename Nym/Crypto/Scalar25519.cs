using System.Numerics;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// Arithmetic modulo the group order l, as curve25519-dalek's <c>Scalar</c> does it for Sphinx
/// key derivation. It is only used when creating packets and blinding forward-hop secrets, never
/// on the gateway's final-hop path. BigInteger is not constant time; the values are per-packet
/// ephemeral scalars of the sender, and the note on issue 3 records this trade-off.
/// </summary>
internal static class Scalar25519
{
    private static readonly BigInteger L =
        BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    /// <summary>Scalar::from_bytes_mod_order.</summary>
    public static void ReduceFromBytes(ReadOnlySpan<byte> bytes32, Span<byte> output) =>
        Write(BigInteger.Remainder(Read(bytes32), L), output);

    /// <summary>Scalar * Scalar, reduced mod l.</summary>
    public static void Multiply(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output) =>
        Write(BigInteger.Remainder(Read(a) * Read(b), L), output);

    /// <summary>The clamping X25519 and Sphinx apply to 32 raw secret bytes.</summary>
    public static void Clamp(Span<byte> scalar)
    {
        scalar[0] &= 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
    }

    private static BigInteger Read(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: false);

    private static void Write(BigInteger value, Span<byte> output)
    {
        output[..32].Clear();
        value.TryWriteBytes(output, out _, isUnsigned: true, isBigEndian: false);
    }
}
