using NymGateway.Nym.Encoding;
using NymGateway.Nym.GatewayRequests;
using Xunit;

namespace NymGateway.Tests.Nym;

[Trait("Category", "Vectors")]
public sealed class GatewayAuthVectorTests
{
    private static readonly VectorFile File = VectorFile.Load("gateway_auth");

    [Fact]
    public void Authenticate_requests_match()
    {
        foreach (var c in File.Cases)
        {
            var keys = SharedKeys.FromBytes(c.Hex("shared_keys"));
            var encrypted = Authentication.EncryptAddress(keys, c.Hex("address"), c.Hex("iv"));
            Assert.Equal(c.Hex("encrypted_address"), encrypted);
            Assert.Equal(c.Str("address_base58"), Base58Text.Encode(c.Hex("address")));
            Assert.Equal(c.Str("iv_base58"), Base58Text.Encode(c.Hex("iv")));
            Assert.Equal(c.Str("encrypted_address_base58"), Base58Text.Encode(encrypted));

            var json = GatewayJson.Serialize(new ClientControlRequest.Authenticate(
                c.Str("address_base58"), c.Str("encrypted_address_base58"), c.Str("iv_base58")));
            Assert.Equal(c.Str("authenticate_request_json"), json);

            Assert.True(GatewayJson.TryParseClientControlRequest(c.Str("authenticate_request_json"), out var parsed));
            var auth = Assert.IsType<ClientControlRequest.Authenticate>(parsed);
            Assert.True(Authentication.TryDecodeEncryptedAddress(auth.EncAddress, out var enc, out _));
            Assert.True(Authentication.TryDecodeIv(auth.Iv, out var iv, out _));
            Assert.True(Authentication.Verify(keys, c.Hex("address"), iv, enc));
        }
    }

    [Fact]
    public void Json_examples_round_trip()
    {
        foreach (var example in File.Root.GetProperty("server_response_json_examples").EnumerateArray())
        {
            Assert.True(GatewayJson.TryParseServerResponse(example.GetString()!, out var response));
            Assert.Equal(example.GetString(), GatewayJson.Serialize(response));
        }
        foreach (var example in File.Root.GetProperty("registration_handshake_json_examples").EnumerateArray())
        {
            Assert.True(GatewayJson.TryParseHandshakeMessage(example.GetString()!, out var message));
            Assert.Equal(example.GetString(), GatewayJson.Serialize(message));
        }
    }

    [Fact]
    public void Negative_cases_fail_as_recorded()
    {
        foreach (var n in File.NegativeCases)
        {
            if (n.TryGetProperty("verify_result", out var verify))
            {
                var keys = SharedKeys.FromBytes(n.Hex("shared_keys"));
                Assert.Equal(verify.GetBoolean(), Authentication.Verify(keys, n.Hex("address"), n.Hex("iv"), n.Hex("encrypted_address")));
                continue;
            }

            var expected = n.GetProperty("result").Str("error");
            bool ok = n.Name().StartsWith("iv", StringComparison.Ordinal)
                ? Authentication.TryDecodeIv(n.Str("input"), out _, out var error)
                : Authentication.TryDecodeEncryptedAddress(n.Str("input"), out _, out error);
            Assert.False(ok, n.Name());
            Assert.Equal(JsonVectorExtensions.Variant(expected), error!.Kind.ToString());
            if (error.Base58 is { } b58)
            {
                Assert.Contains($"character: '{b58.Character}', index: {b58.Index}", expected, StringComparison.Ordinal);
            }
        }
    }
}
