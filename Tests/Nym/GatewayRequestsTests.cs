using System.Buffers;
using NymGateway.Nym.Encoding;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.Nym.Sphinx;
using Xunit;

namespace NymGateway.Tests.Nym;

[Trait("Category", "Unit")]
public sealed class GatewayRequestsTests
{
    [Fact]
    public void Client_and_gateway_handshake_derive_the_same_keys()
    {
        using var clientIdentity = IdentityKeyPair.Generate();
        using var gatewayIdentity = IdentityKeyPair.Generate();
        var client = new ClientHandshake(clientIdentity, gatewayIdentity.PublicKey);
        var gateway = new GatewayHandshake(gatewayIdentity);

        Assert.True(GatewayJson.TryParseClientControlRequest(client.Start(), out var init));
        var mid = gateway.Start(((ClientControlRequest.RegisterHandshakeInit)init).Data);
        var material = client.Receive(mid.Send!);
        var done = gateway.Receive(material.Send!);
        var final = client.Receive(done.Send!);

        Assert.NotNull(done.Keys);
        Assert.True(final.Keys!.Matches(done.Keys!));
        Assert.Equal(clientIdentity.PublicKey, gateway.ClientIdentity);
    }

    [Fact]
    public void Handshake_with_a_bad_key_is_a_malformed_request()
    {
        using var gatewayIdentity = IdentityKeyPair.Generate();
        foreach (var init in new[] { new byte[63], new byte[65], BadIdentity() })
        {
            var step = new GatewayHandshake(gatewayIdentity).Start(init);
            Assert.Equal(HandshakeErrorKind.MalformedRequest, step.Error!.Kind);
            Assert.Equal("{\"type\":\"handshakeError\",\"message\":\"sent request was malformed\"}", step.Send);
        }
    }

    [Fact]
    public void The_client_identity_is_read_from_the_front_of_an_init_payload_of_any_length()
    {
        using var client = IdentityKeyPair.Generate();
        var init = new byte[40];
        client.PublicKey.Bytes.CopyTo(init);
        Assert.True(GatewayHandshake.TryReadClientIdentity(init, out var identity));
        Assert.Equal(client.PublicKey, identity);
        Assert.False(GatewayHandshake.TryReadClientIdentity(init.AsSpan(0, IdentityPublicKey.Size - 1), out _));
        Assert.False(GatewayHandshake.TryReadClientIdentity(BadIdentity(), out _));
    }

    [Fact]
    public void A_destination_address_is_32_bytes_in_base58()
    {
        var address = Enumerable.Range(1, Authentication.AddressSize).Select(i => (byte)i).ToArray();
        Assert.True(Authentication.TryDecodeAddress(Base58Text.Encode(address), out var decoded, out _));
        Assert.Equal(address, decoded);
        Assert.False(Authentication.TryDecodeAddress(Base58Text.Encode(address[1..]), out _, out var shortError));
        Assert.Equal(AuthenticationFieldErrorKind.StringOfInvalidLengthError, shortError!.Kind);
        Assert.False(Authentication.TryDecodeAddress("0OIl", out _, out var badError));
        Assert.Equal(AuthenticationFieldErrorKind.DecodeError, badError!.Kind);
    }

    [Fact]
    public void Key_material_of_the_wrong_size_is_reported()
    {
        using var clientIdentity = IdentityKeyPair.Generate();
        using var gatewayIdentity = IdentityKeyPair.Generate();
        var client = new ClientHandshake(clientIdentity, gatewayIdentity.PublicKey);
        var gateway = new GatewayHandshake(gatewayIdentity);
        Assert.True(GatewayJson.TryParseClientControlRequest(client.Start(), out var init));
        gateway.Start(((ClientControlRequest.RegisterHandshakeInit)init).Data);
        var step = gateway.Receive(GatewayJson.Serialize(new HandshakeMessage.Payload(new byte[10])));
        Assert.Equal(HandshakeErrorKind.KeyMaterialOfInvalidSize, step.Error!.Kind);
        Assert.True(gateway.Receive("{\"type\":\"nonsense\"}").Ignored);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"type\":\"unknown\"}")]
    [InlineData("{\"type\":\"authenticate\",\"address\":\"a\"}")]
    [InlineData("{\"type\":\"handshakePayload\",\"data\":[256]}")]
    [InlineData("{\"type\":\"handshakePayload\",\"data\":\"AAAA\"}")]
    [InlineData("{\"address\":\"a\",\"enc_address\":\"b\",\"iv\":\"c\"}")]
    [InlineData("{\"type\":\"authenticate\",\"address\":null,\"enc_address\":\"b\",\"iv\":\"c\"}")]
    [InlineData("{\"type\":\"authenticate\",\"address\":\"a\",\"address\":\"a\",\"enc_address\":\"b\",\"iv\":\"c\"}")]
    [InlineData("{\"type\":\"registerHandshakeInitRequest\",\"data\":null}")]
    [InlineData("{\"type\":\"registerHandshakeInitRequest\",\"data\":[1,-1]}")]
    [InlineData("{\"type\":\"registerHandshakeInitRequest\",\"data\":[1.5]}")]
    [InlineData("{\"type\":\"authenticate\",\"address\":\"a\",\"enc_address\":\"b\",\"iv\":\"c\"} x")]
    public void Malformed_or_unknown_requests_do_not_parse(string text) =>
        Assert.False(GatewayJson.TryParseClientControlRequest(text, out _));

    [Fact]
    public void Requests_parse_whatever_the_field_order()
    {
        Assert.True(GatewayJson.TryParseClientControlRequest("{\"iv\":\"c\",\"enc_address\":\"b\",\"extra\":1,\"address\":\"a\",\"type\":\"authenticate\"}", out var request));
        Assert.Equal(new ClientControlRequest.Authenticate("a", "b", "c"), request);
        Assert.True(GatewayJson.TryParseClientControlRequest("{\"type\":\"registerHandshakeInitRequest\",\"data\":[1,2]}", out request));
        Assert.Equal([1, 2], ((ClientControlRequest.RegisterHandshakeInit)request).Data);
        // serde's alias of registerHandshakeInitRequest
        Assert.True(GatewayJson.TryParseClientControlRequest("{\"data\":[3],\"type\":\"handshakePayload\"}", out request));
        Assert.Equal([3], ((ClientControlRequest.RegisterHandshakeInit)request).Data);
    }

    [Fact]
    public void Json_is_written_as_serde_json_writes_it()
    {
        Assert.Equal("{\"type\":\"authenticate\",\"address\":\"a+<é\",\"enc_address\":\"b\",\"iv\":\"c\"}",
            GatewayJson.Serialize(new ClientControlRequest.Authenticate("a+<é", "b", "c")));
        Assert.Equal("{\"type\":\"registerHandshakeInitRequest\",\"data\":[0,255]}", GatewayJson.Serialize(new ClientControlRequest.RegisterHandshakeInit([0, 255])));
        Assert.Equal("{\"type\":\"send\",\"status\":true}", GatewayJson.Serialize(new ServerResponse.Send(true)));
        Assert.Equal("{\"type\":\"error\",\"message\":\"a \\\"quoted\\\" line\\n\"}", GatewayJson.Serialize(new ServerResponse.Error("a \"quoted\" line\n")));
    }

    [Fact]
    public void Forward_sphinx_requests_round_trip_and_reject_a_bad_mac()
    {
        var keys = SharedKeys.FromBytes(SphinxRoundTripTests.RandomBytes(new Random(1), 32));
        var random = new Random(2);
        var packet = new MixPacket(TestNode.Create(random).Address, SphinxRoundTripTests.Build(random, TestNode.Route(random, 2), PacketSize.ACKPacket), PacketMode.Mix);
        var sealedRequest = BinaryMessages.SealForwardSphinx(keys, packet);
        Assert.True(BinaryMessages.TryOpenForwardSphinx(keys, (byte[])sealedRequest.Clone(), out var opened, out _));
        Assert.Equal(packet.ToBytes(), opened.ToBytes());

        for (int i = 0; i < sealedRequest.Length; i += 97)
        {
            var tampered = (byte[])sealedRequest.Clone();
            tampered[i] ^= 0x10;
            Assert.False(BinaryMessages.TryOpenForwardSphinx(keys, tampered, out _, out var error));
            Assert.Equal(GatewayRequestsErrorKind.InvalidMAC, error!.Kind);
        }
        Assert.False(BinaryMessages.TryOpenForwardSphinx(keys, new byte[31], out _, out var shortError));
        Assert.Equal(GatewayRequestsErrorKind.TooShortRequest, shortError!.Kind);
    }

    [Fact]
    public void Binary_requests_of_every_wrong_size_are_rejected()
    {
        var keys = SharedKeys.FromBytes(new byte[32]);
        var random = new Random(3);
        var mix = new MixPacket(TestNode.Create(random).Address, SphinxRoundTripTests.Build(random, TestNode.Route(random, 1), PacketSize.ACKPacket), PacketMode.Mix).ToBytes();
        foreach (int delta in new[] { -1, 1, -100, 500 })
        {
            var body = new byte[mix.Length + delta];
            mix.AsSpan(0, Math.Min(mix.Length, body.Length)).CopyTo(body);
            Assert.False(BinaryMessages.TryOpenForwardSphinx(keys, keys.EncryptAndTag(body), out _, out var error));
            Assert.Equal(GatewayRequestsErrorKind.InvalidMixPacket, error!.Kind);
            Assert.Equal(MixPacketErrorKind.InvalidPacketSize, error.MixPacket!.Kind);
        }
        Assert.False(BinaryMessages.TryOpenForwardSphinx(keys, keys.EncryptAndTag([]), out _, out var empty));
        Assert.Equal(MixPacketErrorKind.TooFewBytesProvided, empty!.MixPacket!.Kind);
    }

    [Fact]
    public void Final_hop_splits_off_the_surb_ack()
    {
        var random = new Random(4);
        var gateway = TestNode.Create(random);
        var route = TestNode.Route(random, 3).Append(gateway).ToList();
        var ackRoute = TestNode.Route(random, 2);
        var ack = SphinxRoundTripTests.Build(random, ackRoute, PacketSize.ACKPacket);
        var message = SphinxRoundTripTests.RandomBytes(random, 1000);
        var plaintext = FinalHopProcessor.PrependSurbAck(ackRoute[0].Address, ack, message);
        var destination = SphinxRoundTripTests.RandomBytes(random, 32);
        var packet = SphinxRoundTripTests.Build(random, [gateway], PacketSize.RegularPacket, plaintext, destination);

        var processor = new FinalHopProcessor(new SphinxNode(gateway.Keys.Secret));
        var scratch = ArrayPool<byte>.Shared.Rent(packet.Length);
        Assert.True(processor.TryProcess(PacketSize.RegularPacket, PacketMode.Mix, packet, scratch, out var result, out var error), error?.ToString());
        Assert.Equal(destination, result.Destination);
        Assert.Equal(message, result.Message);
        Assert.Equal(ackRoute[0].Address, result.ForwardAck!.NextHop);
        Assert.Equal(ack, result.ForwardAck.SphinxPacket.ToArray());

        var tooShort = SphinxRoundTripTests.Build(random, [gateway], PacketSize.RegularPacket, new byte[100]);
        Assert.False(processor.TryProcess(PacketSize.RegularPacket, PacketMode.Mix, tooShort, scratch, out _, out error));
        Assert.Equal(GatewayProcessingErrorKind.NoSURBAckInFinalHop, error!.Kind);

        var forward = SphinxRoundTripTests.Build(random, [gateway, TestNode.Create(random)], PacketSize.ACKPacket);
        Assert.False(processor.TryProcess(PacketSize.ACKPacket, PacketMode.Mix, forward, scratch, out _, out error));
        Assert.Equal(GatewayProcessingErrorKind.ForwardHopReceivedError, error!.Kind);
        ArrayPool<byte>.Shared.Return(scratch);
        _ = route;
    }

    [Theory]
    [InlineData("0OIl")]
    [InlineData("abc+")]
    [InlineData("é")]
    public void Bad_base58_is_a_typed_error(string text)
    {
        Assert.False(Base58Text.TryDecode(text, out _, out var error));
        Assert.NotNull(error);
        Assert.False(IdentityPublicKey.TryFromBase58(text, out _, out var keyError));
        Assert.Equal(KeyErrorKind.MalformedString, keyError!.Kind);
    }

    [Fact]
    public void Pem_files_round_trip_and_reject_bad_input()
    {
        var secret = SphinxRoundTripTests.RandomBytes(new Random(5), 32);
        var pem = PemKey.Encode(PemKey.IdentityPrivateTag, secret);
        Assert.StartsWith("-----BEGIN ED25519 PRIVATE KEY-----\r\n", pem, StringComparison.Ordinal);
        Assert.EndsWith("-----END ED25519 PRIVATE KEY-----\r\n", pem, StringComparison.Ordinal);
        Assert.True(PemKey.TryDecode(pem, PemKey.IdentityPrivateTag, 32, out var decoded, out _));
        Assert.Equal(secret, decoded);
        // pem 0.7's layout: CRLF line ends, base64 wrapped at 64 characters, a CRLF after the END line.
        Assert.Equal("-----BEGIN X25519 PUBLIC KEY-----\r\n" + new string('A', 64) + "\r\n" + new string('A', 22) + "==\r\n-----END X25519 PUBLIC KEY-----\r\n",
            PemKey.Encode(PemKey.EncryptionPublicTag, new byte[64]));

        Assert.False(PemKey.TryDecode(pem, PemKey.EncryptionPrivateTag, 32, out _, out var error));
        Assert.Equal("unexpected key pem tag", error);
        Assert.False(PemKey.TryDecode("garbage", PemKey.IdentityPrivateTag, 32, out _, out _));
        Assert.False(PemKey.TryDecode(pem.Replace("-----END", "-----XEND", StringComparison.Ordinal), PemKey.IdentityPrivateTag, 32, out _, out _));
        Assert.False(PemKey.TryDecode(PemKey.Encode(PemKey.IdentityPrivateTag, new byte[31]), PemKey.IdentityPrivateTag, 32, out _, out _));
        Assert.False(PemKey.TryDecode("-----BEGIN ED25519 PRIVATE KEY-----\r\n!!!\r\n-----END ED25519 PRIVATE KEY-----\r\n", PemKey.IdentityPrivateTag, 32, out _, out _));
    }

    [Fact]
    public void Truncated_frames_wait_for_more_data()
    {
        var frame = SphinxFrameCodec.Encode(PacketMode.Mix, new byte[PacketSizes.Ack]);
        for (int length = 0; length < frame.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.Equal(FrameStatus.NeedMoreData, SphinxFrameCodec.TryDecode(ref buffer, out _, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    private static byte[] BadIdentity()
    {
        // y = 2 is not the y-coordinate of any point on the ed25519 curve.
        var init = new byte[64];
        init[0] = 2;
        Assert.False(IdentityPublicKey.TryFromBytes(init.AsSpan(0, 32), out _, out _));
        return init;
    }
}
