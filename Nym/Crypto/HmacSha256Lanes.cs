using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// <see cref="HmacSha256"/>'s HMAC and HKDF on up to sixteen keys at once, one per
/// <see cref="Sha256Lanes"/> lane. Every lane hashes a message of the same shape, so padding,
/// lengths, and in HKDF the info string and counters, are the same words in every lane: only the
/// keys, messages and chained blocks are laid out lane-wise.
/// </summary>
public static unsafe class HmacSha256Lanes
{
    public const int Lanes = Sha256Lanes.Lanes;
    public const int SecretSize = 32;
    public const int TagSize = 4 * Words;
    private const int Words = 8;
    private const int BlockWords = 16;
    private const int BlockBytes = 4 * BlockWords;

    public static bool IsSupported => Sha256Lanes.IsSupported;

    /// <summary>
    /// HMAC-SHA256 in every lane: lane <c>i</c>'s key is <c>keys[keyOffsets[i]..]</c>
    /// (<paramref name="keyLength"/> bytes, at most a block), its message
    /// <c>messages[messageOffsets[i]..]</c> (<paramref name="messageLength"/> bytes), its tag
    /// goes to <c>tags[i * 32..]</c>.
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> keys, ReadOnlySpan<int> keyOffsets, int keyLength,
        ReadOnlySpan<byte> messages, ReadOnlySpan<int> messageOffsets, int messageLength, Span<byte> tags)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("HMAC lanes need AVX-512");
        }
        int lanes = keyOffsets.Length;
        if (lanes is < 1 or > Lanes || messageOffsets.Length != lanes || keyLength is < 0 or > BlockBytes
            || messageLength < 0 || tags.Length < lanes * TagSize)
        {
            throw new ArgumentException("one to sixteen lanes, each with a key of at most a block, a message and a tag");
        }
        for (int l = 0; l < lanes; l++)
        {
            _ = keys.Slice(keyOffsets[l], keyLength);
            _ = messages.Slice(messageOffsets[l], messageLength);
        }

        var block = stackalloc Vector512<uint>[BlockWords];
        var inner = stackalloc Vector512<uint>[Words];
        var outer = stackalloc Vector512<uint>[Words];
        var tag = stackalloc Vector512<uint>[Words];
        // each lane's key zero-padded to a block, then its message's last one or two blocks padded
        Span<byte> padded = stackalloc byte[Lanes * 2 * BlockBytes];
        Span<int> rows = stackalloc int[Lanes];
        try
        {
            padded.Clear();
            for (int l = 0; l < Lanes; l++)
            {
                keys.Slice(keyOffsets[Math.Min(l, lanes - 1)], keyLength).CopyTo(padded[(l * BlockBytes)..]);
                rows[l] = l * BlockBytes;
            }
            LoadColumns(padded, rows, BlockWords, block);
            KeyPad(inner, block, BlockWords, 0x36363636);
            KeyPad(outer, block, BlockWords, 0x5c5c5c5c);

            int whole = messageLength / BlockBytes;
            int tail = messageLength - whole * BlockBytes;
            int tailBlocks = tail + 9 <= BlockBytes ? 1 : 2;
            for (int b = 0; b < whole; b++)
            {
                for (int l = 0; l < Lanes; l++)
                {
                    rows[l] = messageOffsets[Math.Min(l, lanes - 1)] + b * BlockBytes;
                }
                LoadColumns(messages, rows, BlockWords, block);
                Sha256Lanes.Compress(inner, block);
            }
            padded.Clear();
            for (int l = 0; l < Lanes; l++)
            {
                var last = padded.Slice(l * 2 * BlockBytes, tailBlocks * BlockBytes);
                messages.Slice(messageOffsets[Math.Min(l, lanes - 1)] + whole * BlockBytes, tail).CopyTo(last);
                last[tail] = 0x80;
                BinaryPrimitives.WriteUInt64BigEndian(last[^8..], (ulong)(BlockBytes + messageLength) * 8);
            }
            for (int b = 0; b < tailBlocks; b++)
            {
                for (int l = 0; l < Lanes; l++)
                {
                    rows[l] = l * 2 * BlockBytes + b * BlockBytes;
                }
                LoadColumns(padded, rows, BlockWords, block);
                Sha256Lanes.Compress(inner, block);
            }
            FinishOuter(outer, inner, block, tag);
            Store(tag, tags, TagSize, 0, TagSize, lanes);
        }
        finally
        {
            padded.Clear();
            new Span<byte>(block, BlockWords * 64).Clear();
            new Span<byte>(inner, Words * 64).Clear();
            new Span<byte>(outer, Words * 64).Clear();
            new Span<byte>(tag, Words * 64).Clear();
        }
    }

    /// <summary>
    /// Lane <c>i</c> expands <c>secrets[i * 32..]</c> into <c>keys[i * keyStride..]</c>,
    /// <paramref name="keyLength"/> bytes, as <see cref="HmacSha256.Hkdf"/> does one.
    /// </summary>
    public static void Hkdf(ReadOnlySpan<byte> secrets, ReadOnlySpan<byte> info, Span<byte> keys, int keyStride, int keyLength, int lanes)
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
            Span<int> rows = stackalloc int[Lanes];
            for (int l = 0; l < Lanes; l++)
            {
                rows[l] = Math.Min(l, lanes - 1) * SecretSize;
            }
            LoadColumns(secrets, rows, Words, block);
            PadWords(block, Words, SecretSize);
            KeyPad(inner, null, 0, 0x36363636);
            Sha256Lanes.Compress(inner, block);
            KeyPad(outer, null, 0, 0x5c5c5c5c);
            FinishOuter(outer, inner, block, prk);

            KeyPad(inner, prk, Words, 0x36363636);
            KeyPad(outer, prk, Words, 0x5c5c5c5c);

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
                Store(output, keys, keyStride, (i - 1) * 4 * Words, Math.Min(4 * Words, keyLength - (i - 1) * 4 * Words), lanes);
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

    /// <summary>The chaining value after a key's padded block: the key's first <paramref name="keyWords"/> words XOR the pad, then zeros XOR the pad.</summary>
    private static void KeyPad(Vector512<uint>* state, Vector512<uint>* key, int keyWords, uint pad)
    {
        var block = stackalloc Vector512<uint>[BlockWords];
        var padding = Vector512.Create(pad);
        for (int w = 0; w < BlockWords; w++)
        {
            block[w] = w < keyWords ? key[w] ^ padding : padding;
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

    /// <summary>Word <c>w</c> (big-endian) of every lane into <c>words[w]</c>, lane <c>l</c>'s words at <c>source[rows[l]..]</c>.</summary>
    private static void LoadColumns(ReadOnlySpan<byte> source, ReadOnlySpan<int> rows, int count, Vector512<uint>* words)
    {
        var column = stackalloc uint[Lanes];
        for (int w = 0; w < count; w++)
        {
            for (int l = 0; l < Lanes; l++)
            {
                column[l] = BinaryPrimitives.ReadUInt32BigEndian(source[(rows[l] + 4 * w)..]);
            }
            words[w] = Vector512.Load(column);
        }
        CryptographicOperations.ZeroMemory(new Span<byte>(column, Lanes * 4));
    }

    /// <summary>Lane <c>l</c>'s first <paramref name="count"/> bytes of the words, big-endian, to <c>output[l * stride + offset..]</c>.</summary>
    private static void Store(Vector512<uint>* words, Span<byte> output, int stride, int offset, int count, int lanes)
    {
        Span<byte> bytes = stackalloc byte[4 * Words];
        for (int l = 0; l < lanes; l++)
        {
            for (int w = 0; w < Words; w++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes[(4 * w)..], words[w].GetElement(l));
            }
            bytes[..count].CopyTo(output[(l * stride + offset)..]);
        }
        CryptographicOperations.ZeroMemory(bytes);
    }
}
