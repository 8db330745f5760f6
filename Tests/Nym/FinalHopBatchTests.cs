using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Sphinx;
using Xunit;

namespace NymGateway.Tests.Nym;

/// <summary>
/// A batch gives what one packet at a time gives, packet for packet, whatever the batch holds:
/// regular, ACK and extended final hops, a forward hop, a broken MAC, a packet too short for
/// Sphinx (down to no bytes), a payload too short for Lioness, a plaintext without a SURB-ACK, in any order and in
/// batches of every size, so both the vector lanes and the one-at-a-time paths run.
/// </summary>
[Trait("Category", "Unit")]
public sealed class FinalHopBatchTests
{
    private readonly Random _random = new(21);
    private readonly TestNode _gateway;
    private readonly List<ReceivedPacket> _packets = [];

    public FinalHopBatchTests()
    {
        _gateway = TestNode.Create(_random);
        for (int i = 0; i < 30; i++)
        {
            _packets.Add(Regular(_random.Next(1, PacketSize.RegularPacket.PlaintextSize() - FinalHopProcessor.SurbAckLength)));
        }
        for (int i = 0; i < 4; i++)
        {
            _packets.Add(new(PacketSize.ACKPacket, PacketMode.Mix, SphinxRoundTripTests.Build(_random, [_gateway], PacketSize.ACKPacket)));
        }
        _packets.Add(new(PacketSize.ExtendedPacket, PacketMode.Mix, Final(PacketSize.ExtendedPacket, 5000)));
        _packets.Add(new(PacketSize.ExtendedPacket, PacketMode.VPN, Final(PacketSize.ExtendedPacket, 20000)));
        _packets.Add(new(PacketSize.RegularPacket, PacketMode.Mix, SphinxRoundTripTests.Build(_random, [_gateway, TestNode.Create(_random)], PacketSize.RegularPacket)));
        _packets.Add(new(PacketSize.RegularPacket, PacketMode.Mix, SphinxRoundTripTests.Flip(Regular(100).Bytes.ToArray(), 40 * 8)));
        _packets.Add(new(PacketSize.RegularPacket, PacketMode.Mix, Regular(100).Bytes[..(SphinxConstants.HeaderSize + 5)]));
        _packets.Add(new(PacketSize.RegularPacket, PacketMode.Mix, Regular(100).Bytes[..100]));
        _packets.Add(new(PacketSize.RegularPacket, PacketMode.Mix, ReadOnlyMemory<byte>.Empty));
        _packets.Add(new(PacketSize.RegularPacket, PacketMode.Mix, Regular(100).Bytes[..(SphinxConstants.HeaderSize + 20)]));
        _packets.Add(new(PacketSize.RegularPacket, PacketMode.Mix, SphinxRoundTripTests.Build(_random, [_gateway], PacketSize.RegularPacket, new byte[100])));
        _packets = [.. _packets.OrderBy(_ => _random.Next())];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(43)]
    public void A_batch_gives_what_one_packet_at_a_time_gives(int batch)
    {
        var processor = new FinalHopProcessor(new SphinxNode(_gateway.Keys.Secret));
        var results = new ProcessedFinalHop?[_packets.Count];
        var errors = new GatewayProcessingError?[_packets.Count];
        for (int start = 0; start < _packets.Count; start += batch)
        {
            int count = Math.Min(batch, _packets.Count - start);
            processor.ProcessBatch(_packets.ToArray().AsSpan(start, count), results.AsSpan(start, count), errors.AsSpan(start, count));
        }

        int delivered = 0;
        for (int i = 0; i < _packets.Count; i++)
        {
            var packet = _packets[i];
            var scratch = new byte[packet.Bytes.Length];
            bool ok = processor.TryProcess(packet.Size, packet.Mode, packet.Bytes.Span, scratch, out var expected, out var error);
            Assert.Equal(error?.ToString(), errors[i]?.ToString());
            Assert.Equal(error?.Kind, errors[i]?.Kind);
            if (!ok)
            {
                Assert.Null(results[i]);
                continue;
            }
            delivered++;
            var actual = results[i]!;
            Assert.Equal(expected.Destination, actual.Destination);
            Assert.Equal(expected.Message, actual.Message);
            Assert.Equal(expected.ReplayTag.ToArray(), actual.ReplayTag.ToArray());
            Assert.Equal(expected.ForwardAck?.NextHop, actual.ForwardAck?.NextHop);
            Assert.Equal(expected.ForwardAck?.SphinxPacket.ToArray(), actual.ForwardAck?.SphinxPacket.ToArray());
            Assert.Equal(expected.ForwardAck?.Mode, actual.ForwardAck?.Mode);
        }
        Assert.Equal(36, delivered);
        Assert.Equal(7, errors.Count(e => e is not null));
    }

    [Fact]
    public void A_batch_of_extended_packets_gives_what_one_at_a_time_gives()
    {
        var processor = new FinalHopProcessor(new SphinxNode(_gateway.Keys.Secret));
        var packets = Enumerable.Range(0, SphinxNode.BatchSize)
            .Select(i => new ReceivedPacket(PacketSize.ExtendedPacket, PacketMode.Mix, Final(PacketSize.ExtendedPacket, 1000 + 1000 * i))).ToArray();
        var results = new ProcessedFinalHop?[packets.Length];
        var errors = new GatewayProcessingError?[packets.Length];
        processor.ProcessBatch(packets, results, errors);

        for (int i = 0; i < packets.Length; i++)
        {
            Assert.True(processor.TryProcess(packets[i].Size, packets[i].Mode, packets[i].Bytes.Span, new byte[packets[i].Bytes.Length], out var expected, out var error), error?.ToString());
            Assert.Null(errors[i]);
            Assert.Equal(expected.Message, results[i]!.Message);
            Assert.Equal(1000 + 1000 * i, results[i]!.Message.Length);
        }
    }

    [Fact]
    public void A_forward_hop_in_a_batch_is_the_next_packet_one_at_a_time_gives()
    {
        var node = new SphinxNode(_gateway.Keys.Secret);
        var packets = _packets.Take(SphinxNode.BatchSize).Select(p => p.Bytes).ToArray();
        var outputs = new byte[packets.Sum(p => p.Length)];
        var hops = new ProcessedHop[packets.Length];
        var errors = new SphinxError?[packets.Length];
        node.ProcessBatch(packets, outputs, hops, errors);

        for (int i = 0, at = 0; i < packets.Length; at += packets[i].Length, i++)
        {
            var output = new byte[packets[i].Length];
            bool ok = node.TryProcess(packets[i].Span, output, out var hop, out var error);
            Assert.Equal(error, errors[i]);
            if (ok)
            {
                Assert.Equal(hop.Kind, hops[i].Kind);
                Assert.Equal(hop.Address.ToArray(), hops[i].Address.ToArray());
                Assert.Equal(hop.DelayNanos, hops[i].DelayNanos);
                Assert.Equal(output.AsSpan(0, hop.OutputLength).ToArray(), outputs.AsSpan(at, hops[i].OutputLength).ToArray());
            }
        }
        Assert.Contains(hops, h => h.Kind == SphinxHopKind.Forward);
    }

    private ReceivedPacket Regular(int messageLength)
    {
        var ackRoute = TestNode.Route(_random, 2);
        var ack = SphinxRoundTripTests.Build(_random, ackRoute, PacketSize.ACKPacket);
        var plaintext = FinalHopProcessor.PrependSurbAck(ackRoute[0].Address, ack, SphinxRoundTripTests.RandomBytes(_random, messageLength));
        return new(PacketSize.RegularPacket, PacketMode.Mix, SphinxRoundTripTests.Build(_random, [_gateway], PacketSize.RegularPacket, plaintext));
    }

    private byte[] Final(PacketSize size, int messageLength)
    {
        var ackRoute = TestNode.Route(_random, 1);
        var ack = SphinxRoundTripTests.Build(_random, ackRoute, PacketSize.ACKPacket);
        var plaintext = FinalHopProcessor.PrependSurbAck(ackRoute[0].Address, ack, SphinxRoundTripTests.RandomBytes(_random, messageLength));
        return SphinxRoundTripTests.Build(_random, [_gateway], size, plaintext);
    }
}
