using System.Buffers.Binary;

namespace NymGateway.Nym.Chunking;

/// <summary>
/// Which fragment a SURB-ACK acknowledges: the set id (31 bits, positive) and the fragment's
/// position in its set, serialised as set id (i32 big-endian) || position (5 bytes).
/// </summary>
public readonly record struct FragmentIdentifier(int SetId, byte Position)
{
    public const int Length = 5;

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, SetId);
        bytes[4] = Position;
        return bytes;
    }

    /// <summary>FragmentIdentifier::try_from_bytes: a negative set id is malformed.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out FragmentIdentifier identifier)
    {
        identifier = default;
        if (bytes.Length != Length)
        {
            return false;
        }
        int setId = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (setId < 0)
        {
            return false;
        }
        identifier = new FragmentIdentifier(setId, bytes[4]);
        return true;
    }

    public override string ToString() => $"Fragment Identifier: id: {SetId} position: {Position}";
}
