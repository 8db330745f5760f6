using System.Security.Cryptography;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// HMAC and HKDF over BLAKE3, as the Rust hmac 0.8 / hkdf 0.9 crates build them on
/// blake3::Hasher: a plain RFC 2104 HMAC with a 64-byte block and a 32-byte digest.
/// </summary>
public static class Blake3Mac
{
    public const int OutputSize = 32;
    private const int BlockSize = 64;

    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> tag) =>
        Compute(key, data, default, tag);

    /// <summary>HMAC over the concatenation of two parts, so callers need not copy them together.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data1, ReadOnlySpan<byte> data2, Span<byte> tag)
    {
        Span<byte> pad = stackalloc byte[BlockSize];
        pad.Clear();
        if (key.Length > BlockSize)
        {
            Blake3.Hasher.Hash(key, pad[..OutputSize]);
        }
        else
        {
            key.CopyTo(pad);
        }

        Span<byte> inner = stackalloc byte[OutputSize];
        Xor(pad, 0x36);
        using (var hasher = Blake3.Hasher.New())
        {
            hasher.Update(pad);
            hasher.Update(data1);
            hasher.Update(data2);
            hasher.Finalize(inner);
        }

        Xor(pad, 0x36 ^ 0x5c);
        using (var hasher = Blake3.Hasher.New())
        {
            hasher.Update(pad);
            hasher.Update(inner);
            hasher.Finalize(tag[..OutputSize]);
        }
        CryptographicOperations.ZeroMemory(pad);
    }

    /// <summary>Recomputes the tag and compares it in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> tag)
    {
        if (tag.Length != OutputSize)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[OutputSize];
        Compute(key, data, expected);
        return CryptographicOperations.FixedTimeEquals(expected, tag);
    }

    /// <summary>HKDF extract-then-expand (RFC 5869) with HMAC-BLAKE3; no salt means 32 zero bytes.</summary>
    public static void Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> okm)
    {
        if (okm.Length > 255 * OutputSize)
        {
            throw new ArgumentException("HKDF output too long", nameof(okm));
        }

        Span<byte> prk = stackalloc byte[OutputSize];
        Compute(salt.IsEmpty ? stackalloc byte[OutputSize] : salt, ikm, prk);

        Span<byte> block = stackalloc byte[OutputSize];
        Span<byte> message = stackalloc byte[OutputSize + info.Length + 1];
        int previous = 0;
        for (int i = 0, written = 0; written < okm.Length; i++)
        {
            block[..previous].CopyTo(message);
            info.CopyTo(message[previous..]);
            message[previous + info.Length] = (byte)(i + 1);
            Compute(prk, message[..(previous + info.Length + 1)], block);
            previous = OutputSize;
            int n = Math.Min(OutputSize, okm.Length - written);
            block[..n].CopyTo(okm[written..]);
            written += n;
        }
        CryptographicOperations.ZeroMemory(prk);
        CryptographicOperations.ZeroMemory(block);
    }

    private static void Xor(Span<byte> pad, byte value)
    {
        for (int i = 0; i < pad.Length; i++)
        {
            pad[i] ^= value;
        }
    }
}
