using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Acknowledgements;

/// <summary>
/// SURBAck::construct and prepare_for_sending: an ACK-sized Sphinx packet through
/// <c>route</c> back to the sender (destination: its own address) carrying the
/// encrypted fragment id, prefixed by its first hop zero-padded to 19 bytes (405 bytes in all).
/// </summary>
public sealed record SurbAck(byte[] Bytes, ulong TotalDelayNanos)
{
    /// <param name="route">Mix nodes, then the sender's own gateway.</param>
    /// <param name="delays">One per hop of <c>route</c>.</param>
    public static SurbAck Construct(AckKey key, Chunking.FragmentIdentifier identifier, IReadOnlyList<RouteNode> route,
        NodeAddress firstHop, SphinxDestination sender, IReadOnlyList<ulong> delays)
    {
        if (!SphinxPacketBuilder.TryBuild(key.EncryptIdentifier(identifier), route, sender, delays,
                PacketSize.ACKPacket.PayloadSize(), out var packet, out var error))
        {
            throw new InvalidOperationException($"a SURB-ACK did not build: {error}");
        }
        var bytes = new byte[FinalHopProcessor.SurbAckLength];
        firstHop.Write(bytes);
        packet.CopyTo(bytes, NodeAddress.MaxUnpaddedLength);
        return new SurbAck(bytes, delays.Aggregate(0UL, (sum, d) => sum + d));
    }
}
