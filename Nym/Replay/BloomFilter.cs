using System.Buffers.Binary;

namespace NymGateway.Nym.Replay;

/// <summary>
/// A fixed-size Bloom filter of replay tags, safe for concurrent use without locks. A tag is
/// HKDF output, uniform and unknown to anyone but the packet's sender, so its own bytes give
/// the bit positions (double hashing over two 64-bit words): no hash function runs per packet.
/// </summary>
public sealed class BloomFilter
{
    private readonly ulong[] _words;
    private readonly ulong _bits;
    private readonly int _hashes;

    /// <param name="items">Tags it is sized for.</param>
    /// <param name="falsePositiveRate">The chance, once it holds <paramref name="items"/>, that a fresh tag looks contained.</param>
    public BloomFilter(long items, double falsePositiveRate)
    {
        long bits = Math.Max(64, BitsFor(items, falsePositiveRate));
        _words = new ulong[(bits + 63) / 64];
        _bits = (ulong)_words.LongLength * 64;
        _hashes = Math.Max(1, (int)Math.Round((double)_bits / Math.Max(1, items) * Math.Log(2)));
    }

    /// <summary>The optimal size: n ln(1/p) / (ln 2)^2 bits.</summary>
    public static long BitsFor(long items, double falsePositiveRate) =>
        (long)Math.Ceiling(Math.Max(1, items) * -Math.Log(falsePositiveRate) / (Math.Log(2) * Math.Log(2)));

    public long SizeInBytes => _words.LongLength * sizeof(ulong);

    public int Hashes => _hashes;

    public bool Contains(ReadOnlySpan<byte> tag)
    {
        var (h1, h2) = Seeds(tag);
        for (int i = 0; i < _hashes; i++)
        {
            ulong bit = Index(h1 + (ulong)i * h2);
            if ((Volatile.Read(ref _words[bit >> 6]) & (1UL << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Sets the tag's bits; true when one of them was clear (the tag is new), false when all were set.</summary>
    public bool Add(ReadOnlySpan<byte> tag)
    {
        var (h1, h2) = Seeds(tag);
        bool added = false;
        for (int i = 0; i < _hashes; i++)
        {
            ulong bit = Index(h1 + (ulong)i * h2);
            ulong mask = 1UL << (int)(bit & 63);
            ref ulong word = ref _words[bit >> 6];
            // Reading first keeps the hot case (bit already set) free of a locked instruction.
            if ((Volatile.Read(ref word) & mask) == 0)
            {
                added |= (Interlocked.Or(ref word, mask) & mask) == 0;
            }
        }
        return added;
    }

    public void Clear() => Array.Clear(_words);

    private static (ulong H1, ulong H2) Seeds(ReadOnlySpan<byte> tag) =>
        (BinaryPrimitives.ReadUInt64LittleEndian(tag), BinaryPrimitives.ReadUInt64LittleEndian(tag[8..]) | 1);

    /// <summary>Maps a 64-bit value onto [0, bits) by a multiply-high, not a division.</summary>
    private ulong Index(ulong hash) => Math.BigMul(hash, _bits, out _);
}
