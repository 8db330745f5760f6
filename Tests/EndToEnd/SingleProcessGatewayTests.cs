using NymGateway.Grains;
using NymGateway.Grains.Storage;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// The whole gateway on real sockets and a real SQLite file, as 0.9.2 clients and mix nodes use it.
/// The tests share one gateway (each with clients and a mix node of its own); one restarts it.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SingleProcessGatewayTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly SingleProcessGateway _gateway = fixture.Gateway;
    private readonly MixNodeStub _mixNode = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _mixNode.DisposeAsync();

    private byte[] SphinxKey => _gateway.Identity.Sphinx.PublicKey;

    private async Task<TestClient> RegisteredClientAsync()
    {
        var client = await TestClient.ConnectAsync(_gateway.ClientsUri);
        var response = await client.RegisterAsync(_gateway.Identity.Identity.PublicKey, Timeout);
        Assert.Equal(new ServerResponse.Register(true), response);
        return client;
    }

    private byte[] Packet(TestClient client, byte[] message) =>
        FinalHopPackets.Regular(SphinxKey, client.AddressBytes, message, new NodeAddress(_mixNode.EndPoint), new byte[PacketSizes.Ack]);

    private static byte[] Message(int i) => System.Text.Encoding.UTF8.GetBytes($"message number {i:D4}");

    [Fact]
    public async Task Stored_messages_survive_a_restart_and_arrive_in_order_then_are_deleted()
    {
        var client = await RegisteredClientAsync();
        var keys = client.Keys!;
        var identity = client.Identity;
        await client.DisposeAsync();

        using (var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint))
        {
            for (int i = 0; i < 30; i++)
            {
                await mix.SendPacketAsync(Packet(client, Message(i)));
            }
            await WaitUntilAsync(async () => (await _gateway.Store.CountAsync(client.Address)) == 30);
        }

        await _gateway.RestartAsync();
        Assert.Equal(30, await _gateway.Store.CountAsync(client.Address));

        await using var again = await TestClient.ConnectAsync(_gateway.ClientsUri, identity);
        Assert.Equal(new ServerResponse.Authenticate(true), await again.AuthenticateAsync(keys, Timeout));
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(Message(i), await again.ReceivePushAsync(Timeout));
        }
        await WaitUntilAsync(async () => (await _gateway.Store.CountAsync(client.Address)) == 0);
        Assert.False(await again.HasPushWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Every_frame_is_stored_when_a_mix_node_sends_a_burst_and_hangs_up()
    {
        var client = await RegisteredClientAsync();
        await client.DisposeAsync();
        const int Count = 600; // more than one batch, and more than one pipe read
        var burst = Enumerable.Range(0, Count)
            .SelectMany(i => SphinxFrameCodec.Encode(PacketMode.Mix, Packet(client, Message(i))))
            .ToArray();
        using (var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint))
        {
            await mix.SendRawAsync(burst);
        }
        await WaitUntilAsync(async () => await _gateway.Store.CountAsync(client.Address) == Count);
        var stored = await _gateway.Store.ReadAsync(client.Address, 0, Count + 1);
        Assert.Equal(Enumerable.Range(0, Count).Select(Message), stored.Select(m => m.Content));
    }

    [Fact]
    public async Task A_full_inbox_refuses_further_messages()
    {
        await using var small = await SingleProcessGateway.StartAsync(c => c.Storage.MaxMessagesPerInbox = 5);
        var client = await TestClient.ConnectAsync(small.ClientsUri);
        Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(small.Identity.Identity.PublicKey, Timeout));
        await client.DisposeAsync();
        using (var mix = await MixSender.ConnectAsync(small.MixEndPoint))
        {
            for (int i = 0; i < 8; i++)
            {
                await mix.SendPacketAsync(FinalHopPackets.Regular(small.Identity.Sphinx.PublicKey, client.AddressBytes, Message(i),
                    new NodeAddress(_mixNode.EndPoint), new byte[PacketSizes.Ack]));
            }
            // every SURB-ACK is forwarded, stored or not, so all 8 have been handled once 8 arrived
            for (int i = 0; i < 8; i++)
            {
                await _mixNode.ReceiveAsync(Timeout);
            }
        }
        var stored = await small.Store.ReadAsync(client.Address, 0, 100);
        Assert.Equal(Enumerable.Range(0, 5).Select(Message), stored.Select(m => m.Content));
    }

    [Fact]
    public async Task Messages_are_pushed_live_to_a_connected_client()
    {
        await using var client = await RegisteredClientAsync();
        using var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint);
        for (int i = 0; i < 10; i++)
        {
            await mix.SendPacketAsync(Packet(client, Message(i)));
            Assert.Equal(Message(i), await client.ReceivePushAsync(Timeout));
        }
        await WaitUntilAsync(async () => (await _gateway.Store.CountAsync(client.Address)) == 0);
    }

    [Fact]
    public async Task A_message_whose_notification_was_lost_is_still_delivered_from_the_store()
    {
        await using var client = await RegisteredClientAsync();
        // Committed behind the inbox grain's back: no stream event is ever published for it,
        // as when a silo dies between the commit and the publish.
        await _gateway.Store.AppendAsync(client.Address, [new NewMessage(IdBlocks.FirstId(await _gateway.Store.TakeIdBlockAsync()), Message(42))], new byte[ReplayProtection.TagSize], Guid.NewGuid(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(Message(42), await client.ReceivePushAsync(TimeSpan.FromSeconds(5)));
        await WaitUntilAsync(async () => await _gateway.Store.CountAsync(client.Address) == 0);
    }

    [Fact]
    public async Task The_surb_ack_is_forwarded_byte_for_byte_to_its_first_hop()
    {
        await using var client = await RegisteredClientAsync();
        var ack = new byte[PacketSizes.Ack];
        Random.Shared.NextBytes(ack);
        var packet = FinalHopPackets.Regular(SphinxKey, client.AddressBytes, Message(1), new NodeAddress(_mixNode.EndPoint), ack);
        using var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint);
        await mix.SendPacketAsync(packet, PacketMode.VPN);

        var (size, mode, forwarded) = await _mixNode.ReceiveAsync(Timeout);
        Assert.Equal(PacketSize.ACKPacket, size);
        Assert.Equal(PacketMode.VPN, mode);
        Assert.Equal(ack, forwarded);
        Assert.Equal(Message(1), await client.ReceivePushAsync(Timeout));
    }

    [Fact]
    public async Task A_forward_sphinx_request_reaches_the_first_mix_node_framed()
    {
        await using var client = await RegisteredClientAsync();
        var sphinx = FinalHopPackets.Ack(SphinxKey, new byte[32], [1, 2, 3]);
        var response = await client.ForwardAsync(new MixPacket(new NodeAddress(_mixNode.EndPoint), sphinx, PacketMode.Mix), Timeout);
        Assert.Equal(new ServerResponse.Send(true), response);

        var (size, mode, forwarded) = await _mixNode.ReceiveAsync(Timeout);
        Assert.Equal(PacketSize.ACKPacket, size);
        Assert.Equal(PacketMode.Mix, mode);
        Assert.Equal(sphinx, forwarded);
    }

    [Fact]
    public async Task Packets_for_unregistered_clients_are_dropped_not_stored()
    {
        var stranger = NymGateway.Nym.Keys.IdentityKeyPair.Generate();
        using var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint);
        await mix.SendPacketAsync(FinalHopPackets.Regular(SphinxKey, stranger.PublicKey.Bytes.ToArray(), Message(1), new NodeAddress(_mixNode.EndPoint), new byte[PacketSizes.Ack]));
        // 0.9.2 still forwards the SURB-ACK of a packet it cannot store.
        await _mixNode.ReceiveAsync(Timeout);
        Assert.Equal(0, await _gateway.Store.CountAsync(stranger.PublicKey.ToBase58()));
    }

    [Fact]
    public async Task A_second_connection_of_a_client_replaces_the_first()
    {
        var first = await RegisteredClientAsync();
        await using var second = await TestClient.ConnectAsync(_gateway.ClientsUri, first.Identity);
        Assert.Equal(new ServerResponse.Authenticate(true), await second.AuthenticateAsync(first.Keys!, Timeout));
        await first.Closed.WaitAsync(Timeout);
        Assert.True(first.IsClosed);

        using var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint);
        await mix.SendPacketAsync(Packet(second, Message(7)));
        Assert.Equal(Message(7), await second.ReceivePushAsync(Timeout));
        await first.DisposeAsync();
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in time");
            }
            await Task.Delay(50);
        }
    }
}
