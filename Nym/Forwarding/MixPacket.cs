using System.Diagnostics.CodeAnalysis;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;

namespace NymGateway.Nym.Forwarding;

/// <summary>MixPacketFormattingError's variants.</summary>
public enum MixPacketErrorKind
{
    TooFewBytesProvided,
    InvalidPacketMode,
    InvalidPacketSize,
    InvalidAddress,
    MalformedSphinxPacket,
}

public sealed record MixPacketError(MixPacketErrorKind Kind, int ActualSize = 0)
{
    public override string ToString() => Kind switch
    {
        MixPacketErrorKind.TooFewBytesProvided => "Too few bytes provided to recover from bytes",
        MixPacketErrorKind.InvalidAddress => "address field was incorrectly encoded",
        MixPacketErrorKind.InvalidPacketSize =>
            $"received request had invalid size. (actual: {ActualSize}, but expected one of: {PacketSizes.Ack} (ACK), {PacketSizes.Regular} (REGULAR), {PacketSizes.Extended} (EXTENDED))",
        MixPacketErrorKind.MalformedSphinxPacket => "received sphinx packet was malformed",
        _ => "provided packet mode is invalid",
    };
}

/// <summary>A Sphinx packet and the hop it goes to next: mode (1) || next hop (7 or 19) || packet.</summary>
public sealed record MixPacket(NodeAddress NextHop, ReadOnlyMemory<byte> SphinxPacket, PacketMode Mode)
{
    public PacketSize Size
    {
        get
        {
            PacketSizes.TryFromLength(SphinxPacket.Length, out var size);
            return size;
        }
    }

    public static bool TryParse(ReadOnlySpan<byte> bytes, out MixPacket packet, [NotNullWhen(false)] out MixPacketError? error)
    {
        packet = null!;
        if (bytes.IsEmpty)
        {
            error = new MixPacketError(MixPacketErrorKind.TooFewBytesProvided);
            return false;
        }
        if (!PacketSizes.TryModeFromByte(bytes[0], out var mode))
        {
            error = new MixPacketError(MixPacketErrorKind.InvalidPacketMode);
            return false;
        }
        if (!NodeAddress.TryParse(bytes[1..], out var nextHop, out _))
        {
            error = new MixPacketError(MixPacketErrorKind.InvalidAddress);
            return false;
        }
        var sphinx = bytes[(1 + nextHop.UnpaddedLength)..];
        if (!PacketSizes.TryFromLength(sphinx.Length, out _))
        {
            error = new MixPacketError(MixPacketErrorKind.InvalidPacketSize, sphinx.Length);
            return false;
        }
        packet = new MixPacket(nextHop, sphinx.ToArray(), mode);
        error = null;
        return true;
    }

    public int Length => 1 + NextHop.UnpaddedLength + SphinxPacket.Length;

    public void Write(Span<byte> destination)
    {
        destination[0] = (byte)Mode;
        int written = NextHop.Write(destination[1..]);
        SphinxPacket.Span.CopyTo(destination[(1 + written)..]);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        Write(bytes);
        return bytes;
    }
}
