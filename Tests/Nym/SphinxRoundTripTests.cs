using NymGateway.Nym.Framing;
using NymGateway.Nym.Sphinx;
using Xunit;

namespace NymGateway.Tests.Nym;

[Trait("Category", "Unit")]
public sealed class SphinxRoundTripTests
{
    public static TheoryData<int, PacketSize> Routes()
    {
        var data = new TheoryData<int, PacketSize>();
        for (int hops = 1; hops <= SphinxConstants.MaxPathLength; hops++)
        {
            foreach (var size in Enum.GetValues<PacketSize>())
            {
                data.Add(hops, size);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public void A_packet_survives_every_hop(int hops, PacketSize size)
    {
        var random = new Random(hops * 31 + (int)size);
        var route = TestNode.Route(random, hops);
        var message = new byte[random.Next(0, size.PlaintextSize() + 1)];
        random.NextBytes(message);
        var destination = new SphinxDestination(RandomBytes(random, 32), RandomBytes(random, 16));
        var delays = route.Select(_ => (ulong)random.NextInt64()).ToList();

        Assert.True(SphinxPacketBuilder.TryBuild(message, route.Select(n => n.ToRouteNode()).ToList(), destination, delays,
            size.PayloadSize(), out var packet, out var error), error?.ToString());
        Assert.Equal(size.Size(), packet.Length);

        for (int i = 0; i < hops; i++)
        {
            var output = new byte[packet.Length];
            Assert.True(new SphinxNode(route[i].Keys.Secret).TryProcess(packet, output, out var hop, out error), error?.ToString());
            if (i < hops - 1)
            {
                Assert.Equal(SphinxHopKind.Forward, hop.Kind);
                Assert.Equal(route[i + 1].Address.ToSphinxBytes(), hop.Address.ToArray());
                Assert.Equal(delays[i], hop.DelayNanos);
                packet = output;
                continue;
            }
            Assert.Equal(SphinxHopKind.Final, hop.Kind);
            Assert.Equal(destination.Address, hop.Address.ToArray());
            Assert.Equal(destination.Identifier, hop.Identifier.ToArray());
            Assert.True(SphinxPayload.TryRecoverPlaintext(output.AsSpan(0, hop.OutputLength), out var range, out _));
            Assert.Equal(message, output.AsSpan(0, hop.OutputLength)[range].ToArray());
        }
    }

    [Fact]
    public void A_flipped_bit_anywhere_in_the_header_fails_the_mac()
    {
        var random = new Random(7);
        var route = TestNode.Route(random, 3);
        var packet = Build(random, route, PacketSize.ACKPacket);
        var node = new SphinxNode(route[0].Keys.Secret);
        var output = new byte[packet.Length];
        for (int bit = 0; bit < SphinxConstants.HeaderSize * 8; bit++)
        {
            if (bit == 255)
            {
                // X25519 ignores the top bit of a u-coordinate (in Rust too): that flip still opens.
                Assert.True(node.TryProcess(Flip(packet, bit), output, out _, out _));
                continue;
            }
            Assert.False(node.TryProcess(Flip(packet, bit), output, out _, out var error), $"bit {bit}");
            Assert.Equal(SphinxErrorKind.InvalidHeader, error!.Kind);
        }
    }

    [Fact]
    public void A_wrong_key_fails_the_mac()
    {
        var random = new Random(8);
        var route = TestNode.Route(random, 3);
        var packet = Build(random, route, PacketSize.RegularPacket);
        var output = new byte[packet.Length];
        foreach (var wrong in new[] { route[1], route[2], TestNode.Create(random) })
        {
            Assert.False(new SphinxNode(wrong.Keys.Secret).TryProcess(packet, output, out _, out var error));
            Assert.Equal(SphinxErrorKind.InvalidHeader, error!.Kind);
        }
    }

    [Fact]
    public void Every_length_below_the_minimum_is_an_invalid_packet()
    {
        var node = new SphinxNode(new byte[32]);
        var output = new byte[SphinxConstants.HeaderSize + SphinxConstants.PayloadOverheadSize];
        for (int length = 0; length < SphinxConstants.HeaderSize + SphinxConstants.PayloadOverheadSize; length++)
        {
            Assert.False(node.TryProcess(new byte[length], output, out _, out var error));
            Assert.Equal(SphinxErrorKind.InvalidPacket, error!.Kind);
        }
    }

    [Fact]
    public void Too_long_messages_and_routes_are_rejected()
    {
        var random = new Random(9);
        var route = TestNode.Route(random, 6).Select(n => n.ToRouteNode()).ToList();
        var destination = new SphinxDestination(new byte[32], new byte[16]);
        Assert.False(SphinxPacketBuilder.TryBuild([1], route, destination, new ulong[6], 100, out _, out var error));
        Assert.Equal(SphinxErrorKind.InvalidRouting, error!.Kind);

        Assert.False(SphinxPacketBuilder.TryBuild(new byte[84], route[..1], destination, new ulong[1], 100, out _, out error));
        Assert.Equal(SphinxErrorKind.InvalidPayload, error!.Kind);
        Assert.True(SphinxPacketBuilder.TryBuild(new byte[83], route[..1], destination, new ulong[1], 100, out _, out error));
    }

    internal static byte[] Flip(byte[] packet, int bit)
    {
        var copy = (byte[])packet.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    internal static byte[] Build(Random random, List<TestNode> route, PacketSize size, byte[]? message = null, byte[]? destination = null)
    {
        Assert.True(SphinxPacketBuilder.TryBuild(message ?? [1, 2, 3], route.Select(n => n.ToRouteNode()).ToList(),
            new SphinxDestination(destination ?? RandomBytes(random, 32), new byte[16]), route.Select(_ => 0UL).ToList(),
            size.PayloadSize(), out var packet, out var error), error?.ToString());
        return packet;
    }

    internal static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
