namespace NymGateway.Nym.Crypto;

/// <summary>
/// Whether 32 bytes decompress to a point of the Edwards curve, which is what ed25519-dalek's
/// <c>PublicKey::from_bytes</c> checks (libsodium's import checks nothing, its verify more).
/// </summary>
internal static class Ed25519Point
{
    private static readonly FieldElement D = (FieldElement.Zero - FieldElement.FromUInt(121665)) * FieldElement.FromUInt(121666).Invert();

    public static bool IsOnCurve(ReadOnlySpan<byte> compressed)
    {
        var y = FieldElement.FromBytes(compressed);
        var yy = y.Square();
        var u = yy - FieldElement.One;
        var v = D * yy + FieldElement.One;

        // r = u v^3 (u v^7)^((p-5)/8); u/v is a square iff v r^2 = +-u.
        var v3 = v.Square() * v;
        var v7 = v3.Square() * v;
        var r = u * v3 * (u * v7).PowP58();
        var check = v * r.Square();
        return (check - u).IsZero() || (check + u).IsZero();
    }
}
