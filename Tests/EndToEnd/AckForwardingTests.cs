using System.Buffers.Binary;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// Every SURB-ACK comes back: thousands of packets over real mix connections to a single-process
/// gateway, their ACKs received by a stand-in mix node, at a steady rate and in one burst. A full
/// next-hop queue holds the mix connections back instead of dropping ACKs.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AckForwardingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const int Connections = 4;

    [Fact]
    public Task Every_ack_of_a_burst_comes_back_even_through_0_9_2s_small_queue() =>
        // 0.9.2's queue of 32 against batches of up to 256 ACKs: before the wait, most of a burst was lost here.
        SendAndCountAcksAsync(packets: 4000, perSecond: null, queue: 32);

    [Fact]
    public Task Every_ack_at_a_steady_rate_comes_back() =>
        SendAndCountAcksAsync(packets: 2000, perSecond: 1000, queue: null);

    private static async Task SendAndCountAcksAsync(int packets, int? perSecond, int? queue)
    {
        await using var gateway = await SingleProcessGateway.StartAsync(c =>
        {
            if (queue is { } size)
            {
                c.Debug.MaximumConnectionBufferSize = size;
            }
        });
        await using var ackNode = new MixNodeStub();
        await using var client = await TestClient.ConnectAsync(gateway.ClientsUri);
        Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(gateway.Identity.Identity.PublicKey, Timeout));
        await client.DisposeAsync(); // offline: messages are committed to its inbox, the ACKs go out after each commit

        var sphinxKey = gateway.Identity.Sphinx.PublicKey;
        var ackHop = new NodeAddress(ackNode.EndPoint);
        var frames = new byte[packets][];
        Parallel.For(0, packets, i =>
        {
            var ack = new byte[PacketSizes.Ack];
            BinaryPrimitives.WriteInt32LittleEndian(ack, i);
            frames[i] = SphinxFrameCodec.Encode(PacketMode.Mix, FinalHopPackets.Regular(sphinxKey, client.AddressBytes, [1], ackHop, ack));
        });

        var senders = Enumerable.Range(0, Connections).Select(async c =>
        {
            using var mix = await MixSender.ConnectAsync(gateway.MixEndPoint);
            var started = DateTime.UtcNow;
            for (int i = c, sent = 0; i < packets; i += Connections, sent++)
            {
                await mix.SendRawAsync(frames[i]);
                if (perSecond is { } rate && sent % 10 == 0)
                {
                    var due = started + TimeSpan.FromSeconds(sent * Connections / (double)rate);
                    if (due > DateTime.UtcNow)
                    {
                        await Task.Delay(due - DateTime.UtcNow);
                    }
                }
            }
        }).ToList();

        var seen = new bool[packets];
        int received = 0;
        try
        {
            while (received < packets)
            {
                var (size, _, packet) = await ackNode.ReceiveAsync(Timeout);
                Assert.Equal(PacketSize.ACKPacket, size);
                int i = BinaryPrimitives.ReadInt32LittleEndian(packet);
                Assert.False(seen[i], $"ACK {i} came twice");
                seen[i] = true;
                received++;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{packets - received} of {packets} ACKs lost");
        }
        await Task.WhenAll(senders);
        Assert.Equal(packets, await gateway.Store.CountAsync(client.Address));
    }
}
