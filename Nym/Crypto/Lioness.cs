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

    /// <summary>Whether <see cref="DecryptLanes"/> runs here (AVX-512).</summary>
    public static bool LanesSupported => Blake2bLanes.IsSupported;

    /// <summary>
    /// <see cref="Decrypt"/> on one block per lane (at most eight), all <paramref name="blockLength"/>
    /// bytes long: lane <c>i</c>'s key is at <c>keys[keyOffsets[i]..]</c> and its block at
    /// <c>blocks[blockOffsets[i]..]</c>. The hash rounds run side by side in BLAKE2b lanes; where
    /// <see cref="LanesSupported"/> is false it throws <see cref="PlatformNotSupportedException"/>.
    /// </summary>
    public static bool DecryptLanes(ReadOnlySpan<byte> keys, ReadOnlySpan<int> keyOffsets, Span<byte> blocks, ReadOnlySpan<int> blockOffsets, int blockLength)
    {
        if (blockLength < MinimumBlockSize)
        {
            return false;
        }
        int lanes = keyOffsets.Length;
        if (lanes is < 1 or > Blake2bLanes.Lanes || blockOffsets.Length != lanes)
        {
            throw new ArgumentException("one to eight lanes, each with a key and a block");
        }
        for (int l = 0; l < lanes; l++)
        {
            CheckKey(keys.Slice(keyOffsets[l], KeySize));
        }
        HashRounds(keys, keyOffsets, K4Offset, blocks, blockOffsets, blockLength);
        StreamRounds(keys, keyOffsets, K3Offset, blocks, blockOffsets, blockLength);
        HashRounds(keys, keyOffsets, K2Offset, blocks, blockOffsets, blockLength);
        StreamRounds(keys, keyOffsets, K1Offset, blocks, blockOffsets, blockLength);
        return true;
    }

    private static void StreamRounds(ReadOnlySpan<byte> keys, ReadOnlySpan<int> keyOffsets, int subkey, Span<byte> blocks, ReadOnlySpan<int> blockOffsets, int blockLength)
    {
        for (int l = 0; l < keyOffsets.Length; l++)
        {
            var block = blocks.Slice(blockOffsets[l], blockLength);
            StreamRound(keys.Slice(keyOffsets[l] + subkey, Half), block[..Half], block[Half..]);
        }
    }

    // L ^= BLAKE2b-256(key = k, R) in every lane; the left half is one digest long
    private static void HashRounds(ReadOnlySpan<byte> keys, ReadOnlySpan<int> keyOffsets, int subkey, Span<byte> blocks, ReadOnlySpan<int> blockOffsets, int blockLength)
    {
        int lanes = keyOffsets.Length;
        Span<int> hashKeys = stackalloc int[Blake2bLanes.Lanes];
        Span<int> rights = stackalloc int[Blake2bLanes.Lanes];
        Span<byte> digests = stackalloc byte[Blake2bLanes.Lanes * Half];
        for (int l = 0; l < lanes; l++)
        {
            hashKeys[l] = keyOffsets[l] + subkey;
            rights[l] = blockOffsets[l] + Half;
        }
        Blake2bLanes.Hash(keys, hashKeys[..lanes], blocks, rights[..lanes], blockLength - Half, digests);
        for (int l = 0; l < lanes; l++)
        {
            var left = blocks.Slice(blockOffsets[l], Half);
            for (int i = 0; i < Half; i++)
            {
                left[i] ^= digests[l * Half + i];
            }
        }
        CryptographicOperations.ZeroMemory(digests);
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException("Lioness takes a 192-byte key", nameof(key));
        }
    }

    private const int K1Offset = 0;
    private const int K2Offset = Half;
    private const int K3Offset = Half + HashKeySize;
    private const int K4Offset = 2 * Half + HashKeySize;

    private static ReadOnlySpan<byte> K1(ReadOnlySpan<byte> key) => key.Slice(K1Offset, Half);
    private static ReadOnlySpan<byte> K2(ReadOnlySpan<byte> key) => key.Slice(K2Offset, HashKeySize);
    private static ReadOnlySpan<byte> K3(ReadOnlySpan<byte> key) => key.Slice(K3Offset, Half);
    private static ReadOnlySpan<byte> K4(ReadOnlySpan<byte> key) => key.Slice(K4Offset, HashKeySize);

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
