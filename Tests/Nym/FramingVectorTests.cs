using System.Buffers;
using System.Text.Json;
using NymGateway.Nym.Framing;
using Xunit;

namespace NymGateway.Tests.Nym;

[Trait("Category", "Vectors")]
public sealed class FramingVectorTests
{
    private static readonly VectorFile File = VectorFile.Load("framing");

    [Fact]
    public void Sizes_match()
    {
        var sizes = File.Root.GetProperty("sizes");
        Assert.Equal(PacketSizes.Regular, sizes.GetProperty("regular").GetInt32());
        Assert.Equal(PacketSizes.Ack, sizes.GetProperty("ack").GetInt32());
        Assert.Equal(PacketSizes.Extended, sizes.GetProperty("extended").GetInt32());
    }

    [Fact]
    public void Frames_encode_and_decode()
    {
        foreach (var c in File.Cases)
        {
            var buffer = new ReadOnlySequence<byte>(c.Hex(c.TryGetProperty("framed_bytes", out _) ? "framed_bytes" : "input"));
            if (c.TryGetProperty("decoded_frames", out var frames))
            {
                foreach (var expected in frames.EnumerateArray())
                {
                    AssertFrame(c.Name(), ref buffer, expected);
                }
                Assert.Equal(FrameStatus.NeedMoreData, SphinxFrameCodec.TryDecode(ref buffer, out _, out _));
                continue;
            }

            var packet = c.Hex("sphinx_packet");
            var mode = Enum.Parse<PacketMode>(c.Str("packet_mode"));
            Assert.Equal(c.Hex("framed_bytes"), SphinxFrameCodec.Encode(mode, packet));
            AssertFrame(c.Name(), ref buffer, c);
            Assert.Equal(0, buffer.Length);
        }
    }

    [Fact]
    public void Negative_cases_decode_as_recorded()
    {
        foreach (var n in File.NegativeCases)
        {
            var input = n.Hex("input");
            var buffer = new ReadOnlySequence<byte>(input);
            var result = n.GetProperty("result");
            var status = SphinxFrameCodec.TryDecode(ref buffer, out var frame, out var error);
            switch (result.Str("outcome"))
            {
                case "error":
                    Assert.Equal(FrameStatus.Error, status);
                    Assert.Equal(result.Str("error"), error.ToString());
                    Assert.Equal(input.Length, buffer.Length);
                    break;
                case "need_more_data":
                    Assert.Equal(FrameStatus.NeedMoreData, status);
                    Assert.Equal(result.GetProperty("buffer_len_after").GetInt32(), (int)buffer.Length);
                    break;
                default:
                    Assert.Equal(FrameStatus.Frame, status);
                    Assert.Equal(result.Str("packet_size"), frame.Size.ToString());
                    break;
            }
        }
    }

    private static void AssertFrame(string name, ref ReadOnlySequence<byte> buffer, JsonElement expected)
    {
        Assert.Equal(FrameStatus.Frame, SphinxFrameCodec.TryDecode(ref buffer, out var frame, out _));
        Assert.Equal(expected.Str("packet_size"), frame.Size.ToString());
        Assert.Equal(expected.Str("packet_mode"), frame.Mode.ToString());
        Assert.True(expected.Hex("sphinx_packet").AsSpan().SequenceEqual(frame.Packet.ToArray()), name);
    }
}
