using NymGateway.Nym.GatewayRequests;
using Xunit;

namespace NymGateway.Tests.Nym;

[Trait("Category", "Vectors")]
public sealed class GatewayBinaryVectorTests
{
    private static readonly VectorFile File = VectorFile.Load("gateway_binary");

    [Fact]
    public void Requests_and_responses_match()
    {
        foreach (var c in File.Cases)
        {
            var keys = SharedKeys.FromBytes(c.Hex("shared_keys"));
            Assert.Equal(c.Hex("forward_sphinx_request"), keys.EncryptAndTag(c.Hex("mix_packet_bytes")));

            var request = c.Hex("forward_sphinx_request");
            Assert.True(BinaryMessages.TryOpenForwardSphinx(keys, request, out var packet, out var error), $"{c.Name()}: {error}");
            Assert.Equal(c.Hex("mix_packet_bytes"), packet.ToBytes());
            Assert.Equal(c.Hex("forward_sphinx_request"), BinaryMessages.SealForwardSphinx(keys, packet));

            var pushed = c.Hex("pushed_message");
            var response = new byte[SharedKeys.TaggedLength(pushed.Length)];
            BinaryMessages.SealPushedMessage(keys, pushed, response);
            Assert.Equal(c.Hex("pushed_mix_message_response"), response);
            Assert.True(BinaryMessages.TryOpenPushedMessage(keys, response, out var message, out _));
            Assert.Equal(pushed, message.ToArray());
        }
    }

    [Fact]
    public void Negative_cases_fail_as_recorded()
    {
        foreach (var n in File.NegativeCases)
        {
            var keys = SharedKeys.FromBytes(n.Hex("shared_keys"));
            var input = n.Hex("input");
            var result = n.GetProperty("result");
            bool request = n.Str("parsed_as") == "BinaryRequest";
            GatewayRequestsError? error;
            bool ok = request
                ? BinaryMessages.TryOpenForwardSphinx(keys, input, out _, out error)
                : BinaryMessages.TryOpenPushedMessage(keys, input, out _, out error);

            if (result.Str("outcome") == "ok")
            {
                Assert.True(ok, $"{n.Name()}: {error}");
                continue;
            }
            Assert.False(ok, n.Name());
            var expected = result.Str("error");
            Assert.Equal(JsonVectorExtensions.Variant(expected), error!.Kind.ToString());
            if (error.MixPacket is { } mix)
            {
                Assert.Equal(JsonVectorExtensions.InnerVariant(expected), mix.Kind.ToString());
            }
            Assert.Equal(result.Str("error_message"), error.ToString());
        }
    }
}
