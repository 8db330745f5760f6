namespace NymGateway.Nym.Crypto;

/// <summary>X25519 for clamped secrets (libsodium), and arbitrary scalars (our ladder).</summary>
public static unsafe class X25519
{
    public const int KeySize = 32;

    private static ReadOnlySpan<byte> BasePoint => [9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>
    /// The Diffie–Hellman value of a clamped secret and a public point. A point of small order
    /// gives all zero bytes, as curve25519-dalek does (libsodium refuses such points instead).
    /// </summary>
    public static void SharedSecret(ReadOnlySpan<byte> clampedSecret, ReadOnlySpan<byte> publicKey, Span<byte> output)
    {
        CheckSizes(clampedSecret, publicKey, output);
        Sodium.EnsureInitialized();
        fixed (byte* q = output)
        fixed (byte* n = clampedSecret)
        fixed (byte* p = publicKey)
        {
            if (Sodium.crypto_scalarmult_curve25519(q, n, p) != 0)
            {
                output[..KeySize].Clear();
            }
        }
    }

    /// <summary>The public key of a secret: X25519(secret, 9). The secret is clamped first, as x25519-dalek does.</summary>
    public static void PublicKey(ReadOnlySpan<byte> secret, Span<byte> output)
    {
        Span<byte> clamped = stackalloc byte[KeySize];
        secret[..KeySize].CopyTo(clamped);
        Scalar25519.Clamp(clamped);
        MontgomeryLadder.Multiply(clamped, BasePoint, output);
    }

    /// <summary>u * scalar for any scalar (no clamping): curve25519-dalek's MontgomeryPoint * Scalar.</summary>
    public static void MultiplyUnclamped(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> u, Span<byte> output)
    {
        CheckSizes(scalar, u, output);
        MontgomeryLadder.Multiply(scalar, u, output);
    }

    /// <summary>Base point * scalar for any scalar (no clamping).</summary>
    public static void MultiplyBaseUnclamped(ReadOnlySpan<byte> scalar, Span<byte> output) =>
        MultiplyUnclamped(scalar, BasePoint, output);

    private static void CheckSizes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        if (a.Length < KeySize || b.Length < KeySize || output.Length < KeySize)
        {
            throw new ArgumentException("X25519 works on 32-byte values");
        }
    }
}
