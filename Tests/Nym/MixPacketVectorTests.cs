using NymGateway.Nym.Addressing;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using Xunit;

namespace NymGateway.Tests.Nym;

[Trait("Category", "Vectors")]
public sealed class MixPacketVectorTests
{
    private static readonly VectorFile File = VectorFile.Load("mix_packet");

    [Fact]
    public void Mix_packets_round_trip()
    {
        foreach (var c in File.Cases)
        {
            var bytes = c.Hex("mix_packet_bytes");
            Assert.True(MixPacket.TryParse(bytes, out var packet, out var error), $"{c.Name()}: {error}");
            Assert.Equal(c.Str("next_hop"), packet.NextHop.ToString());
            Assert.Equal(c.Hex("next_hop_bytes"), packet.NextHop.ToUnpaddedBytes());
            Assert.Equal(c.Str("packet_mode"), packet.Mode.ToString());
            Assert.Equal(c.GetProperty("packet_mode_byte").GetInt32(), (int)packet.Mode);
            Assert.Equal(c.Str("packet_size"), packet.Size.ToString());
            Assert.True(c.Hex("sphinx_packet").AsSpan().SequenceEqual(packet.SphinxPacket.Span));
            Assert.Equal(bytes, packet.ToBytes());

            Assert.True(NodeAddress.TryParse(c.Hex("next_hop_bytes"), out var hop, out _));
            var rebuilt = new MixPacket(hop, c.Hex("sphinx_packet"), Enum.Parse<PacketMode>(c.Str("packet_mode")));
            Assert.Equal(bytes, rebuilt.ToBytes());
        }
    }

    [Fact]
    public void Negative_cases_fail_with_the_recorded_error()
    {
        foreach (var n in File.NegativeCases)
        {
            var result = n.GetProperty("result");
            Assert.False(MixPacket.TryParse(n.Hex("input"), out _, out var error), n.Name());
            Assert.Equal(result.Str("error"), error!.Kind == MixPacketErrorKind.InvalidPacketSize
                ? $"InvalidPacketSize({error.ActualSize})"
                : error.Kind.ToString());
            Assert.Equal(result.Str("error_message"), error.ToString());
        }
    }
}
