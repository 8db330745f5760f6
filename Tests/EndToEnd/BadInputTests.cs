using NymGateway.Nym.Addressing;
using NymGateway.Nym.Encoding;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// Bad input gets 0.9.2's answer (an error response, a drop or a closed connection), and a
/// well-behaved client on the same gateway keeps receiving meanwhile. The tests share one
/// gateway; each has its own bystander, which must still receive once the test is done.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BadInputTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly SingleProcessGateway _gateway = fixture.Gateway;
    private readonly MixNodeStub _mixNode = new();
    private TestClient _bystander = null!;
    private int _bystanderMessages;

    public async Task InitializeAsync()
    {
        _bystander = await TestClient.ConnectAsync(_gateway.ClientsUri);
        Assert.Equal(new ServerResponse.Register(true), await _bystander.RegisterAsync(_gateway.Identity.Identity.PublicKey, Timeout));
    }

    public async Task DisposeAsync()
    {
        await BystanderStillReceivesAsync();
        await _bystander.DisposeAsync();
        await _mixNode.DisposeAsync();
    }

    private byte[] PacketFor(byte[] address, byte[] message, byte[]? sphinxKey = null) =>
        FinalHopPackets.Regular(sphinxKey ?? _gateway.Identity.Sphinx.PublicKey, address, message, new NodeAddress(_mixNode.EndPoint), new byte[PacketSizes.Ack]);

    private async Task BystanderStillReceivesAsync()
    {
        var message = System.Text.Encoding.UTF8.GetBytes($"still here {_bystanderMessages++}");
        using var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint);
        await mix.SendPacketAsync(PacketFor(_bystander.AddressBytes, message));
        Assert.Equal(message, await _bystander.ReceivePushAsync(Timeout));
    }

    private async Task<string> SendTextExpectingAsync(TestClient client, string request)
    {
        await client.SendTextAsync(request);
        return await client.ReceiveTextAsync(Timeout);
    }

    [Theory]
    [InlineData("00")] // size byte 0
    [InlineData("04")] // size byte 4
    [InlineData("ff")]
    [InlineData("0102")] // mode byte 2
    public async Task A_frame_with_an_unknown_size_or_mode_closes_the_connection(string header)
    {
        using var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint);
        var frame = Convert.FromHexString(header.Length == 2 ? header + "00" : header);
        await mix.SendRawAsync([.. frame, .. new byte[PacketSizes.Regular]]);
        Assert.True(await mix.IsClosedByPeerAsync(Timeout));
        await BystanderStillReceivesAsync();
    }

    [Fact]
    public async Task Garbage_and_truncated_frames_store_nothing()
    {
        using (var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint))
        {
            var packet = SphinxFrameCodec.Encode(PacketMode.Mix, PacketFor(_bystander.AddressBytes, [9]));
            await mix.SendRawAsync(packet[..^10]);
        }
        using (var garbage = await MixSender.ConnectAsync(_gateway.MixEndPoint))
        {
            var noise = new byte[5000];
            Random.Shared.NextBytes(noise);
            noise[0] = 1;
            noise[1] = 0;
            await garbage.SendRawAsync(noise);
            // a regular frame of random bytes fails its MAC and is dropped; the rest is another bad frame or an incomplete one
        }
        await BystanderStillReceivesAsync();
        // the truncated packet was addressed to the bystander: it must never show up
        Assert.False(await _bystander.HasPushWithinAsync(TimeSpan.FromMilliseconds(300)));
        await SingleProcessGatewayTests.WaitUntilAsync(async () => await _gateway.Store.CountAsync(_bystander.Address) == 0);
    }

    [Fact]
    public async Task A_packet_that_fails_its_mac_is_dropped_and_the_connection_keeps_serving()
    {
        using var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint);
        var wrongKey = EncryptionKeyPair.Generate().PublicKey;
        await mix.SendPacketAsync(PacketFor(_bystander.AddressBytes, [1, 2, 3], wrongKey));
        var good = System.Text.Encoding.UTF8.GetBytes("after the bad one");
        await mix.SendPacketAsync(PacketFor(_bystander.AddressBytes, good));
        Assert.Equal(good, await _bystander.ReceivePushAsync(Timeout));
        Assert.False(await mix.IsClosedByPeerAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"type\":\"authenticate\"")]
    [InlineData("{\"type\":\"subscribe\",\"data\":[]}")]
    [InlineData("{\"type\":\"send\",\"status\":true}")]
    [InlineData("{\"address\":\"x\",\"enc_address\":\"y\",\"iv\":\"z\"}")]
    public async Task Bad_or_unknown_text_requests_get_a_malformed_request_error(string request)
    {
        await using var client = await TestClient.ConnectAsync(_gateway.ClientsUri);
        Assert.Equal("{\"type\":\"error\",\"message\":\"malformed request\"}", await SendTextExpectingAsync(client, request));
        // the connection stays usable: a proper registration still works
        Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(_gateway.Identity.Identity.PublicKey, Timeout));
    }

    [Fact]
    public async Task A_handshake_with_a_bad_key_is_refused()
    {
        await using var client = await TestClient.ConnectAsync(_gateway.ClientsUri);
        var notAPoint = new byte[64];
        notAPoint[0] = 2;
        Assert.Equal("{\"type\":\"error\",\"message\":\"malformed request\"}",
            await SendTextExpectingAsync(client, GatewayJson.Serialize(new HandshakeMessage.Payload(notAPoint))));

        var tooShort = IdentityKeyPair.Generate().PublicKey.Bytes.ToArray().Concat(new byte[10]).ToArray();
        Assert.Equal("{\"type\":\"handshakeError\",\"message\":\"sent request was malformed\"}",
            await SendTextExpectingAsync(client, GatewayJson.Serialize(new HandshakeMessage.Payload(tooShort))));
        Assert.Equal("{\"type\":\"error\",\"message\":\"failed to perform the handshake - sent request was malformed\"}",
            await client.ReceiveTextAsync(Timeout));
    }

    [Fact]
    public async Task Authenticating_with_a_wrong_encrypted_address_fails()
    {
        await using var client = await TestClient.ConnectAsync(_gateway.ClientsUri, _bystander.Identity);
        var wrongKeys = SharedKeys.FromBytes(new byte[32]);
        Assert.Equal(new ServerResponse.Authenticate(false), await client.AuthenticateAsync(wrongKeys, Timeout));

        await using var stranger = await TestClient.ConnectAsync(_gateway.ClientsUri);
        Assert.Equal(new ServerResponse.Authenticate(false), await stranger.AuthenticateAsync(wrongKeys, Timeout));

        var malformed = GatewayJson.Serialize(new ClientControlRequest.Authenticate("0OIl", "x", "y"));
        Assert.Equal("{\"type\":\"error\",\"message\":\"malformed destination address\"}", await SendTextExpectingAsync(stranger, malformed));
        malformed = GatewayJson.Serialize(new ClientControlRequest.Authenticate(stranger.Address, Base58Text.Encode(new byte[31]), "y"));
        Assert.Equal("{\"type\":\"error\",\"message\":\"malformed encrypted address\"}", await SendTextExpectingAsync(stranger, malformed));
        malformed = GatewayJson.Serialize(new ClientControlRequest.Authenticate(stranger.Address, Base58Text.Encode(new byte[32]), Base58Text.Encode(new byte[15])));
        Assert.Equal("{\"type\":\"error\",\"message\":\"malformed iv\"}", await SendTextExpectingAsync(stranger, malformed));
    }

    [Fact]
    public async Task Binary_requests_of_the_wrong_size_or_mac_get_their_error()
    {
        await using var client = await TestClient.ConnectAsync(_gateway.ClientsUri);
        await client.SendBinaryAsync(new byte[100]);
        Assert.Equal("{\"type\":\"error\",\"message\":\"binary request without prior authentication\"}", await client.ReceiveTextAsync(Timeout));
        Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(_gateway.Identity.Identity.PublicKey, Timeout));

        var packet = new MixPacket(new NodeAddress(_mixNode.EndPoint), new byte[PacketSizes.Ack], PacketMode.Mix).ToBytes();
        await client.SendBinaryAsync(client.Keys!.EncryptAndTag(packet[..^1]));
        Assert.Equal("{\"type\":\"error\",\"message\":\"provided mix packet was malformed - received request had invalid size. (actual: 385, but expected one of: 386 (ACK), 2413 (REGULAR), 33133 (EXTENDED))\"}",
            await client.ReceiveTextAsync(Timeout));

        var tampered = client.Keys!.EncryptAndTag(packet);
        tampered[40] ^= 1;
        await client.SendBinaryAsync(tampered);
        Assert.Equal("{\"type\":\"error\",\"message\":\"provided MAC is invalid\"}", await client.ReceiveTextAsync(Timeout));

        await client.SendBinaryAsync(new byte[5]);
        Assert.Equal("{\"type\":\"error\",\"message\":\"the request is too short\"}", await client.ReceiveTextAsync(Timeout));

        await client.SendTextAsync("{\"type\":\"authenticate\",\"address\":\"a\",\"enc_address\":\"b\",\"iv\":\"c\"}");
        Assert.Equal("{\"type\":\"error\",\"message\":\"invalid request\"}", await client.ReceiveTextAsync(Timeout));
    }

    [Fact]
    public async Task An_oversized_websocket_message_closes_only_that_connection()
    {
        await using var client = await TestClient.ConnectAsync(_gateway.ClientsUri);
        await client.SendBinaryAsync(new byte[_gateway.Config.Limits.MaxClientMessageBytes + 1]);
        await client.Closed.WaitAsync(Timeout);
        Assert.True(client.IsClosed);
    }
}
