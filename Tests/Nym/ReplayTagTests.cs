using NymGateway.Nym.Framing;
using NymGateway.Nym.Sphinx;
using Xunit;

namespace NymGateway.Tests.Nym;

/// <summary>
/// The replay tag: the 32 HKDF bytes after the 0.9.2 routing keys (nymtech/sphinx's replay_tag
/// layout), so equal for every copy of a packet, unrelated across packets and hops, and the
/// keys themselves unchanged.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ReplayTagTests
{
    [Fact]
    public void The_tag_is_the_hkdf_block_after_the_routing_keys()
    {
        var shared = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var expanded = new byte[SphinxConstants.ExpandedSecretLength];
        var keys = new byte[SphinxConstants.RoutingKeysLength];
        RoutingKeys.Derive(shared, expanded);
        RoutingKeys.Derive(shared, keys);

        Assert.Equal(keys, expanded[..SphinxConstants.RoutingKeysLength]);
        // HKDF-SHA256(salt: none, info: the crate's seed) bytes 256..288, computed with Python's hmac module.
        Assert.Equal(Convert.FromHexString("12b44eb70cc8cab027e54ecb300ba3d54d951388518ccfa6c96e218671f6d27a"), RoutingKeys.ReplayTag(expanded).ToArray());
    }

    [Fact]
    public void Copies_of_a_packet_share_a_tag_and_other_packets_and_hops_do_not()
    {
        var random = new Random(11);
        var route = TestNode.Route(random, 2);
        var first = Build(random, route);
        var second = Build(random, route);

        var forward = Process(route[0], first, out var output);
        var again = Process(route[0], first, out _);
        var other = Process(route[0], second, out _);
        var final = Process(route[1], output, out _);

        Assert.Equal(SphinxHopKind.Forward, forward.Kind);
        Assert.Equal(SphinxHopKind.Final, final.Kind);
        Assert.Equal(forward.ReplayTag.ToArray(), again.ReplayTag.ToArray());
        Assert.NotEqual(forward.ReplayTag.ToArray(), other.ReplayTag.ToArray());
        Assert.NotEqual(forward.ReplayTag.ToArray(), final.ReplayTag.ToArray());
        Assert.Equal(final.ReplayTag.ToArray(), Process(route[1], output, out _).ReplayTag.ToArray());
    }

    private static byte[] Build(Random random, List<TestNode> route)
    {
        var destination = new SphinxDestination(new byte[32], new byte[16]);
        Assert.True(SphinxPacketBuilder.TryBuild([1, 2, 3], route.Select(n => n.ToRouteNode()).ToList(), destination,
            route.Select(_ => (ulong)random.NextInt64()).ToList(), PacketSize.RegularPacket.PayloadSize(), out var packet, out var error), error?.ToString());
        return packet;
    }

    private static ProcessedHop Process(TestNode node, byte[] packet, out byte[] output)
    {
        output = new byte[packet.Length];
        Assert.True(new SphinxNode(node.Keys.Secret).TryProcess(packet, output, out var hop, out var error), error?.ToString());
        return hop;
    }
}
