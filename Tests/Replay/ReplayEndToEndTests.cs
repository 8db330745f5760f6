using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Tests.EndToEnd;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.Replay;

/// <summary>
/// Replayed packets at a single-process gateway: stored and pushed once, their SURB-ACKs
/// forwarded once, counted as dropped; by the edge's filter while it runs, by the stored tags
/// after a restart. Each burst ends with a fresh packet: once it is pushed, every copy sent before
/// it on that connection has been judged (pushes keep the connection's order; SURB-ACKs need not).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ReplayEndToEndTests : IAsyncLifetime
{
    private const int Count = 20;
    private const int Sentinel = 999;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private SingleProcessGateway _gateway = null!;
    private MixNodeStub _mixNode = null!;

    public async Task InitializeAsync()
    {
        _gateway = await SingleProcessGateway.StartAsync(c => c.Limits.MaxFramesPerBatch = 8);
        _mixNode = new MixNodeStub();
    }

    public async Task DisposeAsync()
    {
        await _mixNode.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    private static byte[] Message(int id) => BitConverter.GetBytes(id);

    private byte[] Packet(TestClient client, int id)
    {
        var ack = new byte[PacketSizes.Ack];
        BinaryPrimitives.WriteInt32LittleEndian(ack, id);
        return FinalHopPackets.Regular(_gateway.Identity.Sphinx.PublicKey, client.AddressBytes, Message(id), new NodeAddress(_mixNode.EndPoint), ack);
    }

    private async Task<TestClient> RegisteredClientAsync()
    {
        var client = await TestClient.ConnectAsync(_gateway.ClientsUri);
        Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(_gateway.Identity.Identity.PublicKey, Timeout));
        return client;
    }

    private async Task SendAsync(IEnumerable<byte[]> packets)
    {
        using var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint);
        foreach (var packet in packets)
        {
            await mix.SendPacketAsync(packet);
        }
    }

    /// <summary>
    /// The ids of <paramref name="count"/> SURB-ACKs in id order, then checks none follows. Batches
    /// of a connection are delivered side by side, so their SURB-ACKs may leave in any order.
    /// </summary>
    private async Task<List<int>> AcksAsync(int count)
    {
        var ids = new List<int>();
        while (ids.Count < count)
        {
            var (_, _, ack) = await _mixNode.ReceiveAsync(Timeout);
            ids.Add(BinaryPrimitives.ReadInt32LittleEndian(ack));
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _mixNode.ReceiveAsync(Quiet));
        return [.. ids.Order()];
    }

    private static async Task<List<int>> PushesUntilSentinelAsync(TestClient client)
    {
        var ids = new List<int>();
        int id;
        do
        {
            ids.Add(id = BitConverter.ToInt32(await client.ReceivePushAsync(Timeout)));
        }
        while (id != Sentinel);
        Assert.False(await client.HasPushWithinAsync(Quiet));
        return ids;
    }

    private static List<int> Expected => [.. Enumerable.Range(0, Count), Sentinel];

    [Fact]
    public async Task The_same_packets_sent_twice_to_one_edge_are_delivered_and_acknowledged_once()
    {
        await using var client = await RegisteredClientAsync();
        using var replays = new ReplayCounter(_gateway.Services.GetRequiredService<GatewayMetrics>());
        var packets = Enumerable.Range(0, Count).Select(i => Packet(client, i)).ToList();

        await SendAsync([.. packets, .. packets, Packet(client, Sentinel)]);

        Assert.Equal(Expected, await PushesUntilSentinelAsync(client));
        Assert.Equal(Expected, await AcksAsync(Expected.Count));
        Assert.Equal(Count, replays.Value);
    }

    [Fact]
    public async Task Packets_replayed_after_a_restart_are_not_stored_again()
    {
        var client = await RegisteredClientAsync();
        var (identity, keys) = (client.Identity, client.Keys!);
        await client.DisposeAsync();
        var packets = Enumerable.Range(0, Count).Select(i => Packet(client, i)).ToList();
        await SendAsync(packets);
        await SingleProcessGatewayTests.WaitUntilAsync(async () => await _gateway.Store.CountAsync(client.Address) == Count);
        for (int i = 0; i < Count; i++)
        {
            await _mixNode.ReceiveAsync(Timeout);
        }

        await _gateway.RestartAsync(); // the edge's filter is gone; the stored tags are not
        using var replays = new ReplayCounter(_gateway.Services.GetRequiredService<GatewayMetrics>());
        await SendAsync([.. packets, Packet(client, Sentinel)]);

        Assert.Equal([Sentinel], await AcksAsync(1));
        Assert.Equal(Count, replays.Value);
        await using var again = await TestClient.ConnectAsync(_gateway.ClientsUri, identity);
        Assert.Equal(new ServerResponse.Authenticate(true), await again.AuthenticateAsync(keys, Timeout));
        Assert.Equal(Expected, await PushesUntilSentinelAsync(again));
    }

    /// <summary>Sums <c>packets_dropped{reason="Replay"}</c> of one gateway's meter (meters are process-wide; the instrument is not).</summary>
    private sealed class ReplayCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _value;

        public ReplayCounter(GatewayMetrics metrics)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument, metrics.PacketsDropped))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == GatewayMetrics.Replay.Key && Equals(tag.Value, GatewayMetrics.Replay.Value))
                    {
                        Interlocked.Add(ref _value, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Value => Interlocked.Read(ref _value);

        public void Dispose() => _listener.Dispose();
    }
}
