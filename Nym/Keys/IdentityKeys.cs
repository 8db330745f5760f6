using System.Diagnostics.CodeAnalysis;
using NSec.Cryptography;
using NymGateway.Nym.Crypto;
using NymGateway.Nym.Encoding;

namespace NymGateway.Nym.Keys;

/// <summary>An ed25519 identity public key (32 bytes), validated as ed25519-dalek does.</summary>
public sealed class IdentityPublicKey : IEquatable<IdentityPublicKey>
{
    public const int Size = 32;
    public const int SignatureSize = 64;
    private readonly byte[] _bytes;

    private IdentityPublicKey(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Bytes => _bytes;

    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out IdentityPublicKey key, [NotNullWhen(false)] out KeyError? error)
    {
        key = null!;
        if (bytes.Length != Size)
        {
            error = new KeyError(KeyErrorKind.MalformedBytes, "PublicKey must be 32 bytes in length");
            return false;
        }
        if (!Ed25519Point.IsOnCurve(bytes))
        {
            error = new KeyError(KeyErrorKind.MalformedBytes, "Cannot decompress Edwards point");
            return false;
        }
        key = new IdentityPublicKey(bytes.ToArray());
        error = null;
        return true;
    }

    public static bool TryFromBase58(string text, out IdentityPublicKey key, [NotNullWhen(false)] out KeyError? error)
    {
        if (!Base58Text.TryDecode(text, out var bytes, out var b58))
        {
            key = null!;
            error = new KeyError(KeyErrorKind.MalformedString, b58!.ToString(), b58);
            return false;
        }
        return TryFromBytes(bytes, out key, out error);
    }

    /// <summary>ed25519 verification of a detached signature.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize ||
            !PublicKey.TryImport(SignatureAlgorithm.Ed25519, _bytes, KeyBlobFormat.RawPublicKey, out var publicKey))
        {
            return false;
        }
        return SignatureAlgorithm.Ed25519.Verify(publicKey!, message, signature);
    }

    public string ToBase58() => Base58Text.Encode(_bytes);

    public override string ToString() => ToBase58();

    public bool Equals(IdentityPublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as IdentityPublicKey);

    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);
}

/// <summary>An ed25519 identity key pair; the secret is the 32-byte seed, as Nym stores it.</summary>
public sealed class IdentityKeyPair : IDisposable
{
    private readonly Key _key;

    private IdentityKeyPair(Key key, byte[] secret)
    {
        _key = key;
        Secret = secret;
        IdentityPublicKey.TryFromBytes(key.PublicKey.Export(KeyBlobFormat.RawPublicKey), out var publicKey, out _);
        PublicKey = publicKey;
    }

    public IdentityPublicKey PublicKey { get; }

    /// <summary>The 32-byte seed (ed25519-dalek SecretKey bytes).</summary>
    public byte[] Secret { get; }

    public static IdentityKeyPair Generate() => FromSecret(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static IdentityKeyPair FromSecret(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32)
        {
            throw new ArgumentException("an ed25519 secret key is 32 bytes", nameof(seed));
        }
        var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        return new IdentityKeyPair(key, seed.ToArray());
    }

    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    public void Dispose() => _key.Dispose();
}
