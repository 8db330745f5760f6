using System.Net;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Keys;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Benchmarks;

/// <summary>Builds the packets the benchmarks process: final hops for one gateway, forward hops for a mix.</summary>
internal static class PacketFactory
{
    public static readonly EncryptionKeyPair Gateway = EncryptionKeyPair.Generate();
    public static readonly EncryptionKeyPair Mix = EncryptionKeyPair.Generate();

    private static RouteNode Node(EncryptionKeyPair keys, int port) =>
        new(new NodeAddress(new IPEndPoint(IPAddress.Loopback, port)).ToSphinxBytes(), keys.PublicKey);

    /// <summary>A regular packet as the gateway receives it: SURB-ACK || message, gateway as the only remaining hop.</summary>
    public static byte[] FinalHop(PacketSize size = PacketSize.RegularPacket)
    {
        var ackFirstHop = new NodeAddress(new IPEndPoint(IPAddress.Loopback, 1789));
        var message = new byte[size.PlaintextSize() - (size == PacketSize.ACKPacket ? 0 : FinalHopProcessor.SurbAckLength)];
        Random.Shared.NextBytes(message);
        var plaintext = size == PacketSize.ACKPacket ? message : FinalHopProcessor.PrependSurbAck(ackFirstHop, new byte[PacketSizes.Ack], message);
        return Build([Node(Gateway, 1790)], plaintext, size);
    }

    /// <summary>A regular packet at a mix that forwards it to the gateway.</summary>
    public static byte[] ForwardHop() => Build([Node(Mix, 1789), Node(Gateway, 1790)], new byte[100], PacketSize.RegularPacket);

    private static byte[] Build(List<RouteNode> route, byte[] plaintext, PacketSize size)
    {
        if (!SphinxPacketBuilder.TryBuild(plaintext, route, new SphinxDestination(new byte[32], new byte[16]),
                route.Select(_ => 0UL).ToList(), size.PayloadSize(), out var packet, out var error))
        {
            throw new InvalidOperationException(error!.ToString());
        }
        return packet;
    }
}
