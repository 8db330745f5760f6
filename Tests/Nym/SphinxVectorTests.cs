using System.Text.Json;
using NymGateway.Nym.Crypto;
using NymGateway.Nym.Sphinx;
using Xunit;

namespace NymGateway.Tests.Nym;

[Trait("Category", "Vectors")]
public sealed class SphinxVectorTests
{
    private static readonly VectorFile File = VectorFile.Load("sphinx");

    private static List<RouteNode> Route(JsonElement c) =>
        c.GetProperty("route").EnumerateArray().Select(n => new RouteNode(n.Hex("address"), n.Hex("public_key"))).ToList();

    [Fact]
    public void Constants_match()
    {
        var k = File.Root.GetProperty("constants");
        Assert.Equal(SphinxConstants.HeaderSize, k.GetProperty("HEADER_SIZE").GetInt32());
        Assert.Equal(SphinxConstants.PayloadOverheadSize, k.GetProperty("PAYLOAD_OVERHEAD_SIZE").GetInt32());
        Assert.Equal(SphinxConstants.EncryptedRoutingInfoSize, k.GetProperty("ENCRYPTED_ROUTING_INFO_SIZE").GetInt32());
        Assert.Equal(SphinxConstants.MaxPathLength, k.GetProperty("MAX_PATH_LENGTH").GetInt32());
        Assert.Equal(SphinxConstants.PayloadKeySize, k.GetProperty("PAYLOAD_KEY_SIZE").GetInt32());
    }

    [Fact]
    public void Keys_derive_as_the_crate_does()
    {
        foreach (var c in File.Cases)
        {
            foreach (var node in c.GetProperty("route").EnumerateArray())
            {
                var pub = new byte[32];
                X25519.PublicKey(node.Hex("private_key_raw"), pub);
                Assert.Equal(node.Hex("public_key"), pub);
            }

            var material = KeyMaterial.Derive(Route(c), c.Hex("initial_secret"));
            var expected = c.GetProperty("key_material");
            Assert.Equal(expected.Hex("initial_shared_secret"), material.InitialSharedSecret);
            var keys = expected.GetProperty("routing_keys").EnumerateArray().ToList();
            Assert.Equal(keys.Count, material.RoutingKeys.Length);
            for (int i = 0; i < keys.Count; i++)
            {
                var k = material.RoutingKeys[i];
                Assert.Equal(keys[i].Hex("stream_cipher_key"), RoutingKeys.StreamCipherKey(k).ToArray());
                Assert.Equal(keys[i].Hex("header_integrity_hmac_key"), RoutingKeys.MacKey(k).ToArray());
                Assert.Equal(keys[i].Hex("payload_key"), RoutingKeys.PayloadKey(k).ToArray());
                Assert.Equal(keys[i].Hex("blinding_factor"), RoutingKeys.BlindingFactor(k).ToArray());
            }
        }
    }

    [Fact]
    public void Packets_are_built_byte_for_byte()
    {
        foreach (var c in File.Cases)
        {
            var padding = c.Hex("final_routing_padding");
            var delays = c.GetProperty("delays").EnumerateArray().Select(d => d.GetProperty("nanos").GetUInt64()).ToList();
            var destination = new SphinxDestination(c.Hex("destination_address"), c.Hex("destination_identifier"));
            bool ok = SphinxPacketBuilder.TryBuild(
                c.Hex("message"), Route(c), destination, delays, c.GetProperty("payload_size").GetInt32(),
                out var packet, out var error, c.Hex("initial_secret_raw"),
                span =>
                {
                    Assert.Equal(padding.Length, span.Length);
                    padding.CopyTo(span);
                });
            Assert.True(ok, $"{c.Name()}: {error}");
            Assert.Equal(c.GetProperty("packet_size").GetInt32(), packet.Length);
            Assert.True(c.Hex("packet").AsSpan().SequenceEqual(packet), $"{c.Name()}: packet bytes differ");
        }
    }

    [Fact]
    public void Packets_are_processed_hop_by_hop()
    {
        foreach (var c in File.Cases)
        {
            var packet = c.Hex("packet");
            var route = c.GetProperty("route").EnumerateArray().ToList();
            var hops = c.GetProperty("hops").EnumerateArray().ToList();
            for (int i = 0; i < hops.Count; i++)
            {
                var shared = new byte[32];
                X25519.SharedSecret(route[i].Hex("private_key"), packet.AsSpan(0, 32), shared);
                Assert.Equal(hops[i].Hex("dh_shared_secret"), shared);
                packet = AssertHop(c.Name(), new SphinxNode(route[i].Hex("private_key_raw")), packet, hops[i]);
            }
        }
    }

    [Fact]
    public void Negative_cases_fail_or_pass_as_recorded()
    {
        foreach (var n in File.NegativeCases)
        {
            var packet = n.Hex("packet");
            var result = n.GetProperty("result");
            if (result.ValueKind == JsonValueKind.Array)
            {
                var keys = n.GetProperty("route_private_keys").EnumerateArray().Select(k => Convert.FromHexString(k.GetString()!)).ToList();
                var steps = result.EnumerateArray().ToList();
                for (int i = 0; i < steps.Count; i++)
                {
                    packet = AssertHop(n.Name(), new SphinxNode(keys[i]), packet, steps[i]);
                }
                continue;
            }

            if (result.Str("outcome") == "error")
            {
                var output = new byte[packet.Length];
                Assert.False(new SphinxNode(n.Hex("private_key")).TryProcess(packet, output, out _, out var error), n.Name());
                Assert.Equal(result.Str("error_kind"), error!.Kind.ToString());
                Assert.Equal(result.Str("error_message"), error.ToString());
            }
            else
            {
                AssertHop(n.Name(), new SphinxNode(n.Hex("private_key")), packet, result);
            }
        }
    }

    /// <summary>Processes one hop, checks it against the recorded result, returns the next packet.</summary>
    private static byte[] AssertHop(string name, SphinxNode node, byte[] packet, JsonElement expected)
    {
        var output = new byte[packet.Length];
        Assert.True(node.TryProcess(packet, output, out var hop, out var error), $"{name}: {error}");
        if (expected.Str("outcome") == "forward_hop")
        {
            Assert.Equal(SphinxHopKind.Forward, hop.Kind);
            Assert.Equal(expected.Hex("next_hop_address"), hop.Address.ToArray());
            Assert.Equal(expected.GetProperty("delay_nanos").GetUInt64(), hop.DelayNanos);
            var next = output.AsSpan(0, hop.OutputLength).ToArray();
            Assert.True(expected.Hex("next_packet").AsSpan().SequenceEqual(next), $"{name}: next packet differs");
            return next;
        }

        Assert.Equal("final_hop", expected.Str("outcome"));
        Assert.Equal(SphinxHopKind.Final, hop.Kind);
        Assert.Equal(expected.Hex("destination"), hop.Address.ToArray());
        Assert.Equal(expected.Hex("identifier"), hop.Identifier.ToArray());
        var payload = output.AsSpan(0, hop.OutputLength).ToArray();
        Assert.True(expected.Hex("payload").AsSpan().SequenceEqual(payload), $"{name}: payload differs");

        var recover = expected.GetProperty("recover_plaintext");
        bool recovered = SphinxPayload.TryRecoverPlaintext(payload, out var message, out var recoverError);
        if (recover.Str("outcome") == "ok")
        {
            Assert.True(recovered, $"{name}: {recoverError}");
            Assert.Equal(recover.Hex("plaintext"), payload[message]);
        }
        else
        {
            Assert.False(recovered);
            Assert.Equal(recover.Str("error_kind"), recoverError!.Kind.ToString());
            Assert.Equal(recover.Str("error_message"), recoverError.ToString());
        }
        return payload;
    }
}
