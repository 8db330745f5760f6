using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// HMAC-SHA256 and HKDF-SHA256 (RFC 2104, RFC 5869) on <see cref="Sha256Blocks"/>: the Sphinx
/// header MAC and key schedule, the per-packet hashing of every hop. Where libcrypto is absent,
/// .NET's own HMAC and HKDF compute the same bytes.
/// </summary>
public static class HmacSha256
{
    public const int OutputSize = Sha256Blocks.DigestSize;
    private const int Block = Sha256Blocks.BlockSize;

    /// <summary>HKDF's default salt, HashLen zeros, padded once.</summary>
    private static readonly HmacKey ZeroSalt = Sha256Blocks.IsSupported ? new HmacKey(new byte[OutputSize]) : default;

    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> tag)
    {
        if (!Sha256Blocks.IsSupported)
        {
            HMACSHA256.HashData(key, data, tag);
            return;
        }
        new HmacKey(key).Compute(data, tag);
    }

    /// <summary>HKDF extract-then-expand with no salt (HashLen zeros), as the Rust hkdf crate does given None.</summary>
    public static void Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> info, Span<byte> okm)
    {
        if (!Sha256Blocks.IsSupported)
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, okm, default, info);
            return;
        }
        if (okm.Length > 255 * OutputSize)
        {
            throw new ArgumentException("HKDF output too long", nameof(okm));
        }

        Span<byte> prk = stackalloc byte[OutputSize];
        ZeroSalt.Compute(ikm, prk);
        var expand = new HmacKey(prk);
        CryptographicOperations.ZeroMemory(prk);

        // T(i) = HMAC(PRK, T(i-1) || info || i), T(0) empty.
        Span<byte> message = stackalloc byte[OutputSize + info.Length + 1];
        Span<byte> block = stackalloc byte[OutputSize];
        int previous = 0;
        for (int i = 1, written = 0; written < okm.Length; i++)
        {
            info.CopyTo(message[previous..]);
            message[previous + info.Length] = (byte)i;
            expand.Compute(message[..(previous + info.Length + 1)], block);
            int n = Math.Min(OutputSize, okm.Length - written);
            block[..n].CopyTo(okm[written..]);
            written += n;
            block.CopyTo(message);
            previous = OutputSize;
        }
        CryptographicOperations.ZeroMemory(message);
        CryptographicOperations.ZeroMemory(block);
        expand.Clear();
    }

    /// <summary>A key's inner and outer padded blocks, already compressed.</summary>
    private struct HmacKey
    {
        private Sha256State _inner;
        private Sha256State _outer;

        public HmacKey(ReadOnlySpan<byte> key)
        {
            Span<byte> pad = stackalloc byte[Block];
            pad.Clear();
            if (key.Length > Block)
            {
                SHA256.HashData(key, pad);
            }
            else
            {
                key.CopyTo(pad);
            }
            Xor(pad, 0x36);
            Sha256Blocks.Initialize(out _inner);
            Sha256Blocks.Compress(ref _inner, pad);
            Xor(pad, 0x36 ^ 0x5c);
            Sha256Blocks.Initialize(out _outer);
            Sha256Blocks.Compress(ref _outer, pad);
            CryptographicOperations.ZeroMemory(pad);
        }

        public readonly void Compute(ReadOnlySpan<byte> data, Span<byte> tag)
        {
            Span<byte> digest = stackalloc byte[OutputSize];
            var state = _inner;
            Finish(ref state, data, digest);
            state = _outer;
            Finish(ref state, digest, tag);
            CryptographicOperations.ZeroMemory(digest);
        }

        public void Clear()
        {
            _inner = default;
            _outer = default;
        }

        /// <summary>Hashes the rest of a message whose first block (the pad) is in the state, with SHA-256's padding.</summary>
        private static void Finish(ref Sha256State state, ReadOnlySpan<byte> data, Span<byte> digest)
        {
            int whole = data.Length - data.Length % Block;
            Sha256Blocks.Compress(ref state, data[..whole]);

            // tail || 0x80 || zeros || bit length (big-endian), one block or two.
            Span<byte> last = stackalloc byte[2 * Block];
            last.Clear();
            var tail = data[whole..];
            tail.CopyTo(last);
            last[tail.Length] = 0x80;
            int length = tail.Length + 9 <= Block ? Block : 2 * Block;
            BinaryPrimitives.WriteUInt64BigEndian(last[(length - 8)..], (ulong)(Block + data.Length) * 8);
            Sha256Blocks.Compress(ref state, last[..length]);
            Sha256Blocks.WriteDigest(state, digest);
            CryptographicOperations.ZeroMemory(last);
            state = default;
        }

        private static void Xor(Span<byte> pad, byte value)
        {
            for (int i = 0; i < pad.Length; i++)
            {
                pad[i] ^= value;
            }
        }
    }
}
