using System.Security.Cryptography;
using NymGateway.Nym.Crypto;
using NymGateway.Nym.Encoding;

namespace NymGateway.Nym.GatewayRequests;

/// <summary>
/// The keys a client and the gateway derive in the handshake (the client's "access token"):
/// AES-128-CTR encryption key (16) || HMAC-BLAKE3 key (16).
/// </summary>
public sealed class SharedKeys
{
    public const int Size = 32;
    public const int MacSize = Blake3Mac.OutputSize;
    private readonly byte[] _bytes;

    private SharedKeys(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> EncryptionKey => _bytes.AsSpan(0, 16);
    public ReadOnlySpan<byte> MacKey => _bytes.AsSpan(16, 16);
    public ReadOnlySpan<byte> Bytes => _bytes;

    public static SharedKeys FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size ? new SharedKeys(bytes.ToArray()) : throw new ArgumentException("shared keys are 32 bytes", nameof(bytes));

    public static bool TryFromBase58(string text, out SharedKeys keys)
    {
        keys = null!;
        if (!Base58Text.TryDecode(text, out var bytes, out _) || bytes.Length != Size)
        {
            return false;
        }
        keys = new SharedKeys(bytes);
        return true;
    }

    /// <summary>HKDF-BLAKE3(no salt, ikm = DH, no info) to 32 bytes.</summary>
    public static SharedKeys Derive(ReadOnlySpan<byte> dhSecret)
    {
        var okm = new byte[Size];
        Blake3Mac.Hkdf(dhSecret, default, default, okm);
        return new SharedKeys(okm);
    }

    public string ToBase58() => Base58Text.Encode(_bytes);

    /// <summary>Length of <see cref="EncryptAndTag(ReadOnlySpan{byte}, Span{byte})"/>'s output.</summary>
    public static int TaggedLength(int plaintextLength) => MacSize + plaintextLength;

    /// <summary>MAC(ciphertext) (32) || AES-128-CTR(zero IV, plaintext).</summary>
    public void EncryptAndTag(ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        var ciphertext = output.Slice(MacSize, plaintext.Length);
        plaintext.CopyTo(ciphertext);
        Aes128Ctr.Apply(EncryptionKey, stackalloc byte[Aes128Ctr.IvSize], ciphertext);
        Blake3Mac.Compute(MacKey, ciphertext, output[..MacSize]);
    }

    public byte[] EncryptAndTag(ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[TaggedLength(plaintext.Length)];
        EncryptAndTag(plaintext, output);
        return output;
    }

    /// <summary>Checks the MAC (constant time) and decrypts the rest in place.</summary>
    public GatewayRequestsError? VerifyAndDecrypt(Span<byte> tagged, out Span<byte> plaintext)
    {
        plaintext = default;
        if (tagged.Length < MacSize)
        {
            return new GatewayRequestsError(GatewayRequestsErrorKind.TooShortRequest);
        }
        var ciphertext = tagged[MacSize..];
        if (!Blake3Mac.Verify(MacKey, ciphertext, tagged[..MacSize]))
        {
            return new GatewayRequestsError(GatewayRequestsErrorKind.InvalidMAC);
        }
        Aes128Ctr.Apply(EncryptionKey, stackalloc byte[Aes128Ctr.IvSize], ciphertext);
        plaintext = ciphertext;
        return null;
    }

    /// <summary>AES-128-CTR with the encryption key and a given IV, as the authentication uses it.</summary>
    public void Encrypt(ReadOnlySpan<byte> iv, Span<byte> data) => Aes128Ctr.Apply(EncryptionKey, iv, data);

    public bool Matches(SharedKeys other) => CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);
}
