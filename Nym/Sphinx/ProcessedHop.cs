using System.Runtime.CompilerServices;

namespace NymGateway.Nym.Sphinx;

public enum SphinxHopKind
{
    Forward,
    Final,
}

[InlineArray(32)]
public struct Bytes32
{
    private byte _element;

    public static Bytes32 From(ReadOnlySpan<byte> source)
    {
        var value = default(Bytes32);
        source[..32].CopyTo(value);
        return value;
    }

    public readonly byte[] ToArray() => ((ReadOnlySpan<byte>)this).ToArray();
}

[InlineArray(16)]
public struct Bytes16
{
    private byte _element;

    public static Bytes16 From(ReadOnlySpan<byte> source)
    {
        var value = default(Bytes16);
        source[..16].CopyTo(value);
        return value;
    }

    public readonly byte[] ToArray() => ((ReadOnlySpan<byte>)this).ToArray();
}

/// <summary>
/// What one node learns from a packet. Forward: <see cref="Address"/> is the next hop's
/// 32-byte address, <see cref="DelayNanos"/> the delay, and the output buffer holds the whole
/// next packet. Final: <see cref="Address"/> is the destination, <see cref="Identifier"/> the
/// SURB identifier, and the output holds the unwrapped payload. Both: <see cref="ReplayTag"/>
/// is the same for every copy of one packet (it derives from the packet's shared secret) and
/// unrelated across packets.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051", Justification = "filled in place on the packet path: fields, so callers write into the inline arrays without copies")]
public struct ProcessedHop
{
    public SphinxHopKind Kind;
    public Bytes32 Address;
    public ulong DelayNanos;
    public Bytes16 Identifier;
    public int OutputLength;
    public Bytes32 ReplayTag;
}
