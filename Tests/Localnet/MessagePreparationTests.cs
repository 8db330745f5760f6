using System.Net;
using NymGateway.Nym.Acknowledgements;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Chunking;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Keys;
using NymGateway.Nym.Messages;
using NymGateway.Nym.Sphinx;
using Xunit;

namespace NymGateway.Tests.Localnet;

/// <summary>The 0.9.2 client's message format (nymsphinx chunking, acknowledgements, preparer), pure.</summary>
[Trait("Category", "Unit")]
public sealed class MessagePreparationTests
{
    [Fact]
    public void A_fragment_header_is_the_flagged_set_id_the_total_the_position_and_a_zero()
    {
        var fragment = new Fragment(0x01020304, 3, 2, new byte[] { 9, 9 });

        Assert.Equal(new byte[] { 0x81, 0x02, 0x03, 0x04, 3, 2, 0, 9, 9 }, fragment.ToBytes());
        Assert.True(Fragment.TryParse(fragment.ToBytes(), out var parsed));
        Assert.Equal(fragment.Identifier, parsed.Identifier);
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04, 2 }, parsed.Identifier.ToBytes());
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x02, 0x03, 0x04, 3, 2, 0 })] // no flag bit
    [InlineData(new byte[] { 0x81, 0x02, 0x03, 0x04, 3, 4, 0 })] // position past the total
    [InlineData(new byte[] { 0x81, 0x02, 0x03, 0x04, 0, 0, 0 })] // no fragments
    [InlineData(new byte[] { 0x81, 0x02, 0x03, 0x04, 3, 1, 0x85, 0, 0, 0 })] // linked to another set
    [InlineData(new byte[] { 0x81, 0x02, 0x03, 0x04, 3 })] // too short
    public void Malformed_or_linked_headers_are_refused(byte[] bytes) => Assert.False(Fragment.TryParse(bytes, out _));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1602, 1)] // 0 prefix + 1602 + marker fill one 1604-byte fragment exactly
    [InlineData(1603, 2)]
    [InlineData(10_000, 7)]
    public void A_message_splits_into_whole_fragments_and_comes_back_whole_in_any_order(int length, int fragments)
    {
        var message = new byte[length];
        new Random(length).NextBytes(message);

        var split = MessageChunker.Split(message, FragmentPreparer.PlaintextPerPacket);

        Assert.Equal(fragments, split.Count);
        Assert.All(split, f => Assert.Equal(FragmentPreparer.PlaintextPerPacket, f.ToBytes().Length));
        var reconstructor = new MessageReconstructor();
        var outcomes = split.Reverse().Select(f => reconstructor.Insert(f, out _)).ToList();
        Assert.All(outcomes[..^1], o => Assert.Equal(MessageReconstructor.Outcome.Incomplete, o));
        Assert.Equal(MessageReconstructor.Outcome.Duplicate, reconstructor.Insert(split[0], out _));
        var again = new MessageReconstructor();
        byte[] result = [];
        foreach (var fragment in split)
        {
            again.Insert(fragment, out result);
        }
        Assert.Equal(message, result);
    }

    [Fact]
    public void An_ack_identifier_opens_with_its_key_only()
    {
        var key = AckKey.Generate();
        var id = new FragmentIdentifier(123456, 7);

        var ack = key.EncryptIdentifier(id);

        Assert.Equal(PacketSize.ACKPacket.PlaintextSize(), ack.Length);
        Assert.True(key.TryDecryptIdentifier(ack, out var opened));
        Assert.Equal(id, opened);
        Assert.False(AckKey.Generate().TryDecryptIdentifier(ack, out var other) && other == id);
    }

    [Fact]
    public void A_prepared_fragment_crosses_three_mix_nodes_and_its_SURB_ACK_leads_back_to_the_sender()
    {
        var mixes = Enumerable.Range(0, 3).Select(i => (Keys: EncryptionKeyPair.Generate(), Address: Address(1790 + i))).ToList();
        var gateway = (Keys: EncryptionKeyPair.Generate(), Address: Address(1789));
        var route = mixes.Append(gateway).Select(n => new RouteNode(n.Address.ToSphinxBytes(), n.Keys.PublicKey)).ToList();
        var gatewayIdentity = Identity();
        var sender = new Recipient(Identity(), EncryptionKeyPair.Generate().PublicKey, gatewayIdentity);
        var recipientKeys = EncryptionKeyPair.Generate();
        var recipient = new Recipient(Identity(), recipientKeys.PublicKey, gatewayIdentity);
        var ackKey = AckKey.Generate();
        var fragment = MessageChunker.Split("hello"u8, FragmentPreparer.PlaintextPerPacket)[0];

        var prepared = FragmentPreparer.Prepare(fragment, recipient, route, sender, route, ackKey,
            TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));

        Assert.Equal(mixes[0].Address, prepared.Packet.NextHop);
        var (delivered, toSender) = Travel(prepared.Packet.SphinxPacket.ToArray(), mixes.Select(m => m.Keys).ToList(), gateway.Keys, PacketSize.RegularPacket);
        Assert.Equal(recipient.ClientIdentity.Bytes.ToArray(), delivered.Destination);
        Assert.True(FragmentEncryption.TryDecrypt(delivered.Message, recipientKeys, out var plaintext));
        Assert.Equal(fragment.ToBytes(), plaintext);

        Assert.Equal(mixes[0].Address, toSender!.NextHop);
        var (ack, none) = Travel(toSender.SphinxPacket.ToArray(), mixes.Select(m => m.Keys).ToList(), gateway.Keys, PacketSize.ACKPacket);
        Assert.Null(none);
        Assert.Equal(sender.ClientIdentity.Bytes.ToArray(), ack.Destination);
        Assert.True(ackKey.TryDecryptIdentifier(ack.Message, out var acknowledged));
        Assert.Equal(fragment.Identifier, acknowledged);
    }

    private static (ProcessedFinalHop Final, MixPacket? Ack) Travel(byte[] packet, List<EncryptionKeyPair> mixes, EncryptionKeyPair gateway, PacketSize size)
    {
        foreach (var mix in mixes)
        {
            var output = new byte[packet.Length];
            Assert.True(new SphinxNode(mix.Secret).TryProcess(packet, output, out var hop, out var error), error?.ToString());
            Assert.Equal(SphinxHopKind.Forward, hop.Kind);
            packet = output;
        }
        Assert.True(new FinalHopProcessor(new SphinxNode(gateway.Secret)).TryProcess(size, PacketMode.Mix, packet, new byte[packet.Length],
            out var final, out var failure), failure?.ToString());
        return (final, final.ForwardAck);
    }

    private static NodeAddress Address(int port) => new(new IPEndPoint(IPAddress.Loopback, port));

    private static IdentityPublicKey Identity()
    {
        using var pair = IdentityKeyPair.Generate();
        return pair.PublicKey;
    }
}
