using System.Security.Cryptography;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// The Lioness wide-block cipher as the Rust lioness 0.1.2 crate instantiates it for Sphinx:
/// ChaCha20 (original 64-bit nonce, all zero) as the stream cipher and keyed BLAKE2b-256 as the
/// hash. The 192-byte key is k1(32) || k2(64) || k3(32) || k4(64).
/// </summary>
public static unsafe class Lioness
{
    public const int KeySize = 192;
    public const int MinimumBlockSize = 33;
    private const int Half = 32;
    private const int HashKeySize = 64;

    public static bool Encrypt(ReadOnlySpan<byte> key, Span<byte> block)
    {
        if (block.Length < MinimumBlockSize)
        {
            return false;
        }
        CheckKey(key);
        var left = block[..Half];
        var right = block[Half..];
        StreamRound(K1(key), left, right);
        HashRound(K2(key), left, right);
        StreamRound(K3(key), left, right);
        HashRound(K4(key), left, right);
        return true;
    }

    public static bool Decrypt(ReadOnlySpan<byte> key, Span<byte> block)
    {
        if (block.Length < MinimumBlockSize)
        {
            return false;
        }
        CheckKey(key);
        var left = block[..Half];
        var right = block[Half..];
        HashRound(K4(key), left, right);
        StreamRound(K3(key), left, right);
        HashRound(K2(key), left, right);
        StreamRound(K1(key), left, right);
        return true;
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException("Lioness takes a 192-byte key", nameof(key));
        }
    }

    private static ReadOnlySpan<byte> K1(ReadOnlySpan<byte> key) => key[..Half];
    private static ReadOnlySpan<byte> K2(ReadOnlySpan<byte> key) => key.Slice(Half, HashKeySize);
    private static ReadOnlySpan<byte> K3(ReadOnlySpan<byte> key) => key.Slice(Half + HashKeySize, Half);
    private static ReadOnlySpan<byte> K4(ReadOnlySpan<byte> key) => key.Slice(2 * Half + HashKeySize, HashKeySize);

    // R ^= ChaCha20(L ^ k)
    internal static void StreamRound(ReadOnlySpan<byte> k, ReadOnlySpan<byte> left, Span<byte> right)
    {
        Span<byte> streamKey = stackalloc byte[Half];
        for (int i = 0; i < Half; i++)
        {
            streamKey[i] = (byte)(left[i] ^ k[i]);
        }
        ChaCha20.Xor(streamKey, stackalloc byte[ChaCha20.NonceSize], 0, right);
        CryptographicOperations.ZeroMemory(streamKey);
    }

    // L ^= BLAKE2b-256(key = k, R)
    internal static void HashRound(ReadOnlySpan<byte> k, Span<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> digest = stackalloc byte[Half];
        Sodium.EnsureInitialized();
        fixed (byte* d = digest)
        fixed (byte* r = right)
        fixed (byte* hk = k)
        {
            Sodium.Check(Sodium.crypto_generichash_blake2b(d, Half, r, (ulong)right.Length, hk, HashKeySize));
        }
        for (int i = 0; i < Half; i++)
        {
            left[i] ^= digest[i];
        }
    }
}
