using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Tools;

/// <summary>Builds packets as a gateway receives them: the gateway is the only hop left, the destination a client.</summary>
public static class FinalHopPackets
{
    /// <summary>A regular packet carrying a SURB-ACK (for <paramref name="ackFirstHop"/>) and <paramref name="message"/>.</summary>
    public static byte[] Regular(byte[] gatewaySphinxKey, byte[] clientAddress, byte[] message, NodeAddress ackFirstHop, byte[] ackPacket)
    {
        var plaintext = FinalHopProcessor.PrependSurbAck(ackFirstHop, ackPacket, message);
        return Build(gatewaySphinxKey, clientAddress, plaintext, PacketSize.RegularPacket);
    }

    /// <summary>An ACK-sized packet: no SURB-ACK inside, just the (short) message.</summary>
    public static byte[] Ack(byte[] gatewaySphinxKey, byte[] clientAddress, byte[] message) =>
        Build(gatewaySphinxKey, clientAddress, message, PacketSize.ACKPacket);

    /// <summary>The largest message a regular packet with a SURB-ACK carries.</summary>
    public static int MaxRegularMessage => PacketSize.RegularPacket.PlaintextSize() - FinalHopProcessor.SurbAckLength;

    public static byte[] Build(byte[] gatewaySphinxKey, byte[] clientAddress, byte[] plaintext, PacketSize size)
    {
        var gateway = new RouteNode(new byte[SphinxConstants.NodeAddressLength], gatewaySphinxKey);
        if (!SphinxPacketBuilder.TryBuild(plaintext, [gateway], new SphinxDestination(clientAddress, new byte[16]), [0UL],
                size.PayloadSize(), out var packet, out var error))
        {
            throw new InvalidOperationException(error!.ToString());
        }
        return packet;
    }
}
