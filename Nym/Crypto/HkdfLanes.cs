using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// HKDF-SHA256 with no salt (<see cref="HmacSha256.Hkdf"/>) of up to sixteen 32-byte secrets at
/// once on <see cref="Sha256Lanes"/>. Every lane hashes messages of the same shape, so the info
/// string, counters and padding are the same words in every lane and only the secrets and the
/// chained blocks differ: nothing is transposed but the secrets in and the keys out.
/// </summary>
public static unsafe class HkdfLanes
{
    public const int Lanes = Sha256Lanes.Lanes;
    public const int SecretSize = 32;
    private const int Words = 8;
    private const int BlockWords = 16;
    private const int BlockBytes = 4 * BlockWords;

    public static bool IsSupported => Sha256Lanes.IsSupported;

    /// <summary>
    /// Lane <c>i</c> expands <c>secrets[i * 32..]</c> into <c>keys[i * keyStride..]</c>,
    /// <paramref name="keyLength"/> bytes, as <see cref="HmacSha256.Hkdf"/> does one.
    /// </summary>
    public static void Derive(ReadOnlySpan<byte> secrets, ReadOnlySpan<byte> info, Span<byte> keys, int keyStride, int keyLength, int lanes)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("HKDF lanes need AVX-512");
        }
        if (lanes is < 1 or > Lanes || keyLength is < 0 or > 255 * Words * 4
            || secrets.Length < lanes * SecretSize || keys.Length < (lanes - 1) * keyStride + keyLength)
        {
            throw new ArgumentException("the secrets or keys are shorter than their lanes");
        }

        var block = stackalloc Vector512<uint>[BlockWords];
        var prk = stackalloc Vector512<uint>[Words];
        var inner = stackalloc Vector512<uint>[Words];
        var outer = stackalloc Vector512<uint>[Words];
        var output = stackalloc Vector512<uint>[Words];
        var state = stackalloc Vector512<uint>[Words];
        try
        {
            // PRK = HMAC(HashLen zeros, secret): the salt's pads are the same in every lane
            LoadSecrets(secrets, lanes, block);
            PadWords(block, Words, SecretSize);
            KeyPad(inner, null, 0x36363636);
            Sha256Lanes.Compress(inner, block);
            KeyPad(outer, null, 0x5c5c5c5c);
            FinishOuter(outer, inner, block, prk);

            KeyPad(inner, prk, 0x36363636);
            KeyPad(outer, prk, 0x5c5c5c5c);

            // T(i) = HMAC(PRK, T(i-1) || info || i); the T(i-1) words vary by lane, the rest does not
            int blocks = (keyLength + 4 * Words - 1) / (4 * Words);
            Span<byte> constant = stackalloc byte[4 * Words + info.Length + 1 + 9 + BlockBytes];
            for (int i = 1; i <= blocks; i++)
            {
                int chained = i == 1 ? 0 : 4 * Words;
                int length = chained + info.Length + 1;
                int padded = (length + 9 + BlockBytes - 1) / BlockBytes * BlockBytes;
                var message = constant[..padded];
                message.Clear();
                info.CopyTo(message[chained..]);
                message[length - 1] = (byte)i;
                message[length] = 0x80;
                BinaryPrimitives.WriteUInt64BigEndian(message[(padded - 8)..], (ulong)(BlockBytes + length) * 8);

                Copy(inner, state);
                for (int offset = 0; offset < padded; offset += BlockBytes)
                {
                    for (int w = 0; w < BlockWords; w++)
                    {
                        int at = offset + 4 * w;
                        block[w] = at < chained ? output[at / 4] : Vector512.Create(BinaryPrimitives.ReadUInt32BigEndian(message[at..]));
                    }
                    Sha256Lanes.Compress(state, block);
                }
                FinishOuter(outer, state, block, output);
                StoreKeys(output, keys, keyStride, (i - 1) * 4 * Words, Math.Min(4 * Words, keyLength - (i - 1) * 4 * Words), lanes);
            }
        }
        finally
        {
            new Span<byte>(block, BlockWords * 64).Clear();
            new Span<byte>(prk, Words * 64).Clear();
            new Span<byte>(inner, Words * 64).Clear();
            new Span<byte>(outer, Words * 64).Clear();
            new Span<byte>(output, Words * 64).Clear();
            new Span<byte>(state, Words * 64).Clear();
        }
    }

    /// <summary>The chaining value after a key's padded block: the key's words (zero when null) XOR the pad, then its zero tail XOR the pad.</summary>
    private static void KeyPad(Vector512<uint>* state, Vector512<uint>* key, uint pad)
    {
        var block = stackalloc Vector512<uint>[BlockWords];
        var padding = Vector512.Create(pad);
        for (int w = 0; w < BlockWords; w++)
        {
            block[w] = key != null && w < Words ? key[w] ^ padding : padding;
        }
        Sha256Lanes.Initialize(state);
        Sha256Lanes.Compress(state, block);
        new Span<byte>(block, BlockWords * 64).Clear();
    }

    /// <summary>The outer hash of an HMAC: its padded key's state, then the inner digest as one padded block.</summary>
    private static void FinishOuter(Vector512<uint>* outerPad, Vector512<uint>* innerDigest, Vector512<uint>* block, Vector512<uint>* tag)
    {
        for (int w = 0; w < Words; w++)
        {
            block[w] = innerDigest[w];
        }
        PadWords(block, Words, 4 * Words);
        Copy(outerPad, tag);
        Sha256Lanes.Compress(tag, block);
    }

    /// <summary>SHA-256 padding after <paramref name="words"/> message words, for a message of one pad block plus <paramref name="bytes"/>.</summary>
    private static void PadWords(Vector512<uint>* block, int words, int bytes)
    {
        block[words] = Vector512.Create(0x80000000u);
        for (int w = words + 1; w < BlockWords - 1; w++)
        {
            block[w] = Vector512<uint>.Zero;
        }
        block[BlockWords - 1] = Vector512.Create((uint)(BlockBytes + bytes) * 8);
    }

    private static void Copy(Vector512<uint>* from, Vector512<uint>* to)
    {
        for (int w = 0; w < Words; w++)
        {
            to[w] = from[w];
        }
    }

    private static void LoadSecrets(ReadOnlySpan<byte> secrets, int lanes, Vector512<uint>* block)
    {
        var column = stackalloc uint[Lanes];
        for (int w = 0; w < Words; w++)
        {
            for (int l = 0; l < Lanes; l++)
            {
                column[l] = BinaryPrimitives.ReadUInt32BigEndian(secrets[(Math.Min(l, lanes - 1) * SecretSize + 4 * w)..]);
            }
            block[w] = Vector512.Load(column);
        }
        CryptographicOperations.ZeroMemory(new Span<byte>(column, Lanes * 4));
    }

    private static void StoreKeys(Vector512<uint>* words, Span<byte> keys, int keyStride, int offset, int count, int lanes)
    {
        Span<byte> bytes = stackalloc byte[4 * Words];
        for (int l = 0; l < lanes; l++)
        {
            for (int w = 0; w < Words; w++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes[(4 * w)..], words[w].GetElement(l));
            }
            bytes[..count].CopyTo(keys[(l * keyStride + offset)..]);
        }
        CryptographicOperations.ZeroMemory(bytes);
    }
}
