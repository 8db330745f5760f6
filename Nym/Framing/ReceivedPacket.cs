namespace NymGateway.Nym.Framing;

/// <summary>One framed Sphinx packet copied out of a connection's buffer, with its frame's size and mode.</summary>
public readonly record struct ReceivedPacket(PacketSize Size, PacketMode Mode, ReadOnlyMemory<byte> Bytes);
