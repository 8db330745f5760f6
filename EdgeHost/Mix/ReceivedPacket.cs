using NymGateway.Nym.Framing;

namespace NymGateway.EdgeHost.Mix;

/// <summary>One framed packet copied out of a connection's buffer: <c>Buffer[Offset..Offset+Length]</c>.</summary>
public readonly record struct ReceivedPacket(PacketSize Size, PacketMode Mode, byte[] Buffer, int Offset, int Length)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(Offset, Length);
}
