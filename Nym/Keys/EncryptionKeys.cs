using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using NymGateway.Nym.Crypto;
using NymGateway.Nym.Encoding;

namespace NymGateway.Nym.Keys;

/// <summary>
/// An x25519 key pair as x25519-dalek's StaticSecret keeps it: the secret is stored clamped.
/// It is the gateway's Sphinx key and the handshake's ephemeral key.
/// </summary>
public sealed class EncryptionKeyPair
{
    public const int Size = 32;

    private EncryptionKeyPair(byte[] clampedSecret)
    {
        Secret = clampedSecret;
        PublicKey = new byte[Size];
        X25519.PublicKey(clampedSecret, PublicKey);
    }

    /// <summary>The clamped secret scalar.</summary>
    public byte[] Secret { get; }
    public byte[] PublicKey { get; }

    public static EncryptionKeyPair Generate() => FromSecret(RandomNumberGenerator.GetBytes(Size));

    /// <summary>From 32 raw or clamped secret bytes.</summary>
    public static EncryptionKeyPair FromSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != Size)
        {
            throw new ArgumentException("an x25519 secret key is 32 bytes", nameof(secret));
        }
        var clamped = secret.ToArray();
        Scalar25519.Clamp(clamped);
        return new EncryptionKeyPair(clamped);
    }

    public void DiffieHellman(ReadOnlySpan<byte> remotePublic, Span<byte> shared) => X25519.SharedSecret(Secret, remotePublic, shared);

    /// <summary>encryption::PublicKey::from_base58_string: any 32 bytes are accepted.</summary>
    public static bool TryPublicKeyFromBase58(string text, out byte[] key, [NotNullWhen(false)] out KeyError? error)
    {
        if (!Base58Text.TryDecode(text, out key, out var b58))
        {
            error = new KeyError(KeyErrorKind.MalformedString, b58!.ToString(), b58);
            return false;
        }
        if (key.Length != Size)
        {
            error = new KeyError(KeyErrorKind.InvalidPublicKeyBytes, "x25519 public key must be 32 bytes");
            return false;
        }
        error = null;
        return true;
    }
}
