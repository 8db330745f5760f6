using System.Buffers.Binary;

namespace NymGateway.Nym.Chunking;

/// <summary>
/// One chunk of a message as nymsphinx-chunking frames it. Unlinked header (7 bytes):
/// flagged set id (i32 big-endian, top bit set) || total fragments || this fragment's position
/// (from 1) || 0. A linked header (10 bytes) ends with the flagged id of the previous or next
/// set instead of the 0; this client writes only unlinked sets (one set carries 255 fragments)
/// and reads linked headers only to refuse them.
/// </summary>
public sealed record Fragment(int SetId, byte TotalFragments, byte Position, ReadOnlyMemory<byte> Payload)
{
    public const int UnlinkedHeaderLength = 7;
    public const int LinkedHeaderLength = 10;
    private const uint FlagBit = 1u << 31;

    public FragmentIdentifier Identifier => new(SetId, Position);

    public byte[] ToBytes()
    {
        var bytes = new byte[UnlinkedHeaderLength + Payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)SetId | FlagBit);
        bytes[4] = TotalFragments;
        bytes[5] = Position;
        Payload.Span.CopyTo(bytes.AsSpan(UnlinkedHeaderLength));
        return bytes;
    }

    /// <summary>Fragment::try_from_bytes for an unlinked fragment; false for anything malformed or linked.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Fragment fragment)
    {
        fragment = null!;
        if (bytes.Length < UnlinkedHeaderLength)
        {
            return false;
        }
        uint flagged = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        int setId = (int)(flagged & ~FlagBit);
        byte total = bytes[4];
        byte position = bytes[5];
        if ((flagged & FlagBit) == 0 || setId == 0 || total == 0 || position == 0 || position > total || bytes[6] != 0)
        {
            return false;
        }
        fragment = new Fragment(setId, total, position, bytes[UnlinkedHeaderLength..].ToArray());
        return true;
    }
}
