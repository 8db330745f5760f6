using NymGateway.Nym.Acknowledgements;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Chunking;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Messages;

/// <summary>A fragment's packet for the sender's gateway, and the delays its trip and its ACK's add up to.</summary>
public sealed record PreparedFragment(MixPacket Packet, ulong TotalDelayNanos);

/// <summary>
/// MessagePreparer::prepare_chunk_for_sending for regular packets: payload = SURB-ACK (405) ||
/// ephemeral key (32) || encrypted fragment, sent through mix nodes to the recipient's gateway.
/// </summary>
public static class FragmentPreparer
{
    /// <summary>available_plaintext_per_packet: 2048 - 405 - 32 = 1611 bytes of fragment per regular packet.</summary>
    public static int PlaintextPerPacket => PacketSize.RegularPacket.PlaintextSize() - FinalHopProcessor.SurbAckLength - FragmentEncryption.Overhead;

    /// <param name="route">Mix nodes, then the recipient's gateway.</param>
    /// <param name="ackRoute">Mix nodes, then the sender's gateway.</param>
    public static PreparedFragment Prepare(Fragment fragment, Recipient recipient, IReadOnlyList<RouteNode> route,
        Recipient sender, IReadOnlyList<RouteNode> ackRoute, AckKey ackKey, TimeSpan averagePacketDelay, TimeSpan averageAckDelay,
        PacketMode mode = PacketMode.Mix)
    {
        var ackDelays = SphinxDelays.Generate(ackRoute.Count, averageAckDelay);
        var ack = SurbAck.Construct(ackKey, fragment.Identifier, ackRoute, FirstHop(ackRoute), sender.ToSphinxDestination(), ackDelays);

        var encrypted = FragmentEncryption.Encrypt(fragment.ToBytes(), recipient.ClientEncryptionKey);
        var payload = new byte[ack.Bytes.Length + encrypted.Length];
        ack.Bytes.CopyTo(payload, 0);
        encrypted.CopyTo(payload, ack.Bytes.Length);

        var delays = SphinxDelays.Generate(route.Count, averagePacketDelay);
        if (!SphinxPacketBuilder.TryBuild(payload, route, recipient.ToSphinxDestination(), delays,
                PacketSize.RegularPacket.PayloadSize(), out var packet, out var error))
        {
            throw new InvalidOperationException($"a fragment's packet did not build: {error}");
        }
        ulong total = delays.Aggregate(ack.TotalDelayNanos, (sum, d) => sum + d);
        return new PreparedFragment(new MixPacket(FirstHop(route), packet, mode), total);
    }

    private static NodeAddress FirstHop(IReadOnlyList<RouteNode> route) =>
        NodeAddress.TryParse(route[0].Address, out var address, out _)
            ? address
            : throw new ArgumentException("the route's first hop has no node address", nameof(route));
}
