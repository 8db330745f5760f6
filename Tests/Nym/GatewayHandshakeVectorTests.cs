using System.Text.Json;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using Xunit;

namespace NymGateway.Tests.Nym;

[Trait("Category", "Vectors")]
public sealed class GatewayHandshakeVectorTests
{
    private static readonly VectorFile File = VectorFile.Load("gateway_handshake");

    [Fact]
    public void Successful_handshakes_match_message_for_message()
    {
        foreach (var c in File.Cases)
        {
            var messages = Messages(c);
            var client = RunClient(c, messages, allowTampered: false);
            var gateway = RunGateway(c, messages, allowTampered: false);
            AssertOutcome(c.GetProperty("client_result"), client);
            AssertOutcome(c.GetProperty("gateway_result"), gateway);
            Assert.Equal(c.Hex("hkdf_blake3_okm"), client.Keys!.Bytes.ToArray());
            Assert.True(client.Keys.Matches(gateway.Keys!));
        }
    }

    [Fact]
    public void Tampered_handshakes_fail_on_the_recorded_side()
    {
        foreach (var n in File.NegativeCases)
        {
            var messages = Messages(n);
            AssertOutcome(n.GetProperty("client_result"), RunClient(n, messages, allowTampered: true));
            AssertOutcome(n.GetProperty("gateway_result"), RunGateway(n, messages, allowTampered: true));
        }
    }

    [Fact]
    public void Ephemeral_keys_and_dh_match()
    {
        foreach (var c in File.Cases)
        {
            var clientEphemeral = EncryptionKeyPair.FromSecret(c.Hex("client_ephemeral_private_raw"));
            var gatewayEphemeral = EncryptionKeyPair.FromSecret(c.Hex("gateway_ephemeral_private_raw"));
            Assert.Equal(c.Hex("client_ephemeral_private"), clientEphemeral.Secret);
            Assert.Equal(c.Hex("client_ephemeral_public"), clientEphemeral.PublicKey);
            Assert.Equal(c.Hex("gateway_ephemeral_public"), gatewayEphemeral.PublicKey);
            var dh = new byte[32];
            clientEphemeral.DiffieHellman(gatewayEphemeral.PublicKey, dh);
            Assert.Equal(c.Hex("dh_shared_secret"), dh);
            Assert.Equal(c.Hex("hkdf_blake3_okm"), SharedKeys.Derive(dh).Bytes.ToArray());

            using var gateway = IdentityKeyPair.FromSecret(c.Hex("gateway_identity_secret"));
            Assert.Equal(c.Hex("gateway_signature"), gateway.Sign(c.Hex("gateway_signature_message")));
        }
    }

    private sealed record Outcome(SharedKeys? Keys, HandshakeError? Error);

    private static List<(bool FromClient, string Text)> Messages(JsonElement c) =>
        c.GetProperty("messages").EnumerateArray()
            .Select(m => (m.Str("direction") == "client->gateway", m.Str("ws_text")))
            .ToList();

    /// <summary>
    /// Feeds the gateway's recorded frames to our client and checks that each frame our client
    /// sends equals the recorded one. A tampered case may differ in the one frame the test
    /// harness altered on its way.
    /// </summary>
    private static Outcome RunClient(JsonElement c, List<(bool FromClient, string Text)> messages, bool allowTampered)
    {
        using var identity = IdentityKeyPair.FromSecret(c.Hex("client_identity_secret"));
        Assert.True(IdentityPublicKey.TryFromBytes(c.Hex("client_expected_gateway_identity_public"), out var gatewayKey, out _));
        var client = new ClientHandshake(identity, gatewayKey, c.Hex("client_ephemeral_private_raw"));
        int differences = 0;
        string? pending = client.Start();
        HandshakeStep? step = null;
        foreach (var (fromClient, text) in messages)
        {
            if (fromClient)
            {
                Assert.NotNull(pending);
                differences += pending == text ? 0 : 1;
                pending = null;
                continue;
            }
            if (step?.IsFinished == true)
            {
                break;
            }
            step = client.Receive(text);
            pending = step.Send;
        }
        Assert.True(differences <= (allowTampered ? 1 : 0), $"{c.Name()}: client frames differ from the record");
        return new Outcome(step?.Keys, step?.Error);
    }

    private static Outcome RunGateway(JsonElement c, List<(bool FromClient, string Text)> messages, bool allowTampered)
    {
        using var identity = IdentityKeyPair.FromSecret(c.Hex("gateway_identity_secret"));
        var gateway = new GatewayHandshake(identity, c.Hex("gateway_ephemeral_private_raw"));
        int differences = 0;
        string? pending = null;
        HandshakeStep? step = null;
        bool started = false;
        foreach (var (fromClient, text) in messages)
        {
            if (!fromClient)
            {
                Assert.NotNull(pending);
                differences += pending == text ? 0 : 1;
                pending = null;
                continue;
            }
            if (step?.IsFinished == true)
            {
                break;
            }
            if (!started)
            {
                Assert.True(GatewayJson.TryParseClientControlRequest(text, out var request));
                var init = Assert.IsType<ClientControlRequest.RegisterHandshakeInit>(request).Data;
                Assert.Equal(c.Hex("gateway_received_init_payload"), init);
                step = gateway.Start(init);
                started = true;
            }
            else
            {
                step = gateway.Receive(text);
            }
            pending = step.Send;
        }
        Assert.True(differences <= (allowTampered ? 1 : 0), $"{c.Name()}: gateway frames differ from the record");
        return new Outcome(step?.Keys, step?.Error);
    }

    private static void AssertOutcome(JsonElement expected, Outcome actual)
    {
        if (expected.Str("outcome") == "ok")
        {
            Assert.Null(actual.Error);
            Assert.Equal(expected.Hex("shared_keys"), actual.Keys!.Bytes.ToArray());
            Assert.Equal(expected.Hex("encryption_key"), actual.Keys.EncryptionKey.ToArray());
            Assert.Equal(expected.Hex("mac_key"), actual.Keys.MacKey.ToArray());
            Assert.Equal(expected.Str("shared_keys_base58"), actual.Keys.ToBase58());
            return;
        }
        Assert.NotNull(actual.Error);
        Assert.Equal(JsonVectorExtensions.Variant(expected.Str("error")), actual.Error!.Kind.ToString());
        Assert.Equal(expected.Str("error_message"), actual.Error.ToString());
    }
}
