using NymGateway.Fleet;
using NymGateway.Tests.Cluster;
using Xunit;

namespace NymGateway.Tests.Localnet;

[Trait("Category", "EndToEnd")]
public sealed class LocalnetTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TemporaryHome _home = new("nym-localnet-tests");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task A_message_goes_from_alice_to_bob_through_three_mix_nodes_and_its_SURB_ACK_comes_back()
    {
        await using var net = await LocalnetRun.StartAsync(_home);

        var (received, _, _) = await net.SendAliceToBobAsync("hello from alice", Timeout);

        Assert.Equal("hello from alice", received);
        Assert.Equal(0, net.Alice.PendingAcknowledgements);
        Assert.Equal(0, net.Alice.Retransmissions);
        // message out and ACK back, each through all three layers
        Assert.All(net.MixNodes, node => Assert.Equal(2, node.Forwarded));
    }

    [Fact]
    public async Task A_text_of_several_fragments_arrives_whole_and_every_fragment_is_acknowledged()
    {
        await using var net = await LocalnetRun.StartAsync(_home);
        var text = string.Concat(Enumerable.Range(0, 400).Select(i => $"line {i}; "));

        var (received, _, _) = await net.SendAliceToBobAsync(text, Timeout);

        Assert.Equal(text, received);
        Assert.Equal(0, net.Alice.PendingAcknowledgements);
    }

    [Fact]
    public async Task A_fragment_whose_ACK_is_dropped_is_retransmitted_and_delivered_once()
    {
        // 0.9.2's formula with a shorter addition; a slow round trip may retransmit more than once.
        var addition = TimeSpan.FromSeconds(2);
        var client = LocalnetRun.Patient with { AckWaitAddition = addition };
        await using var net = await LocalnetRun.StartAsync(_home, dropAckPackets: 1, client: client);

        var (received, _, acknowledged) = await net.SendAliceToBobAsync("once only", Timeout);

        Assert.Equal("once only", received);
        Assert.InRange(net.Alice.Retransmissions, 1, 5);
        Assert.True(acknowledged >= addition, $"acknowledged after {acknowledged}");
        Assert.Equal(0, net.Alice.PendingAcknowledgements);
        // every copy reached bob, and he reassembled the message once
        int copies = net.Alice.Retransmissions;
        var deadline = DateTime.UtcNow + Timeout;
        while (net.Bob.DuplicateFragments < copies && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(copies, net.Bob.DuplicateFragments);
        Assert.False(net.Bob.Messages.TryRead(out _));
    }
}

[Trait("Category", "Cluster")]
[Collection(PostgresServer.Collection)]
public sealed class LocalnetClusterTests : IDisposable
{
    private readonly TemporaryHome _home = new("nym-localnet-tests");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task In_a_cluster_a_message_crosses_from_one_edge_to_the_other_and_its_SURB_ACK_comes_back()
    {
        await PostgresServer.EnsureReachableAsync();
        await using var net = await LocalnetRun.StartAsync(_home, PostgresServer.ConnectionString);
        Assert.NotEqual(net.Gateway.ClientsAddresses[0], net.Gateway.ClientsAddresses[1]);

        var (received, _, _) = await net.SendAliceToBobAsync("across the edges", TimeSpan.FromSeconds(30));

        Assert.Equal("across the edges", received);
        Assert.Equal(0, net.Alice.PendingAcknowledgements);
        Assert.Equal(0, net.Alice.Retransmissions);
    }
}
