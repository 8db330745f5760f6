using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using NymGateway.Fleet;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.Tests.EndToEnd;
using NymGateway.Tools;
using Xunit;
using Xunit.Abstractions;

namespace NymGateway.Tests.Cluster;

/// <summary>
/// Cluster mode as separate processes on loopback: PostgreSQL, 2 silos, 2 edges. Clients on both
/// edges, packets through both edges' mix ports, and an edge, a silo and the database crash while
/// packets flow. A message counts as received by the gateway once its SURB-ACK was forwarded (the
/// gateway does that only after the commit); every such message must reach its client or still be stored.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(PostgresServer.Collection)]
public sealed class ClusterEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);
    private readonly TemporaryHome _home = new("nym-gateway-cluster");
    private readonly List<GatewayProcess> _processes = [];
    private readonly string _cluster = "test-" + Guid.NewGuid().ToString("N")[..12];
    private int[] _ports = [];
    private IdentityPublicKey _gatewayIdentity = null!;
    private byte[] _sphinxKey = [];

    // Every host on an address of its own, as on separate machines (all of 127/8 is loopback):
    // silos advertise 127.0.0.2 and .3, edges listen on 127.0.1.1 and .2, PostgreSQL is on 127.0.0.1.
    private static IPAddress SiloAddress(int silo) => IPAddress.Parse($"127.0.0.{2 + silo}");
    private static IPAddress EdgeAddress(int edge) => IPAddress.Parse($"127.0.1.{1 + edge}");
    private IPEndPoint Mix(int edge) => new(EdgeAddress(edge), _ports[edge * 2]);
    private Uri Clients(int edge) => new($"ws://{EdgeAddress(edge)}:{_ports[edge * 2 + 1]}/");

    public async Task InitializeAsync()
    {
        await PostgresServer.EnsureReachableAsync();
        _ports = FreePorts.Take(8);
        var (_, init) = await GatewayProcess.RunToEndAsync(_home.Path, "init", "--id", "cl", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1",
            "--validator", "", "--database", PostgresServer.ConnectionString, "--cluster-id", _cluster);
        Assert.Contains("Gateway configuration completed", init, StringComparison.Ordinal);
        var folder = new GatewayFolder(_home.Path, "cl");
        _gatewayIdentity = folder.Identity;
        _sphinxKey = folder.SphinxKey;

        var silos = new[] { StartSilo(0), StartSilo(1) };
        foreach (var silo in silos)
        {
            await silo.WaitForAsync("Silo ready", Startup);
        }
        foreach (var edge in new[] { StartEdge(0), StartEdge(1) })
        {
            await edge.WaitForAsync("Finished nym gateway startup procedure", Startup);
            Assert.Contains("Connected to the cluster: 2 active silo(s)", edge.Output, StringComparison.Ordinal);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
        await PostgresServer.ScalarAsync("DELETE FROM OrleansMembershipTable WHERE DeploymentId = @c", ("c", _cluster));
        _home.Dispose();
    }

    private GatewayProcess StartSilo(int n) => Track(GatewayProcess.Start(_home.Path, "silo", "--id", "cl", "--advertise", $"{SiloAddress(n)}",
        "--silo-port", $"{_ports[4 + n * 2]}", "--gateway-port", $"{_ports[5 + n * 2]}"));

    private GatewayProcess StartEdge(int n) => Track(GatewayProcess.Start(_home.Path, "edge", "--id", "cl",
        "--mix-host", $"{EdgeAddress(n)}", "--mix-port", $"{Mix(n).Port}", "--clients-host", $"{EdgeAddress(n)}", "--clients-port", $"{_ports[n * 2 + 1]}"));

    private GatewayProcess Track(GatewayProcess process)
    {
        _processes.Add(process);
        return process;
    }

    [Fact]
    public async Task Nothing_is_lost_when_an_edge_a_silo_and_the_database_die_while_packets_flow()
    {
        await using var ackSink = new MixNodeStub();
        var timeout = TimeSpan.FromSeconds(30);

        // Online clients on both edges, and clients that registered and went away.
        var online = new List<OnlineClient>();
        for (int i = 0; i < 4; i++)
        {
            online.Add(await OnlineClient.StartAsync(this, edge: i % 2, timeout));
        }
        var offline = new List<(IdentityKeyPair Identity, SharedKeys Keys)>();
        for (int i = 0; i < 2; i++)
        {
            await using var client = await TestClient.ConnectAsync(Clients(i));
            Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(_gatewayIdentity, timeout));
            offline.Add((client.Identity, client.Keys!));
        }
        var destinations = online.Select(c => c.Identity.PublicKey.Bytes.ToArray())
            .Concat(offline.Select(c => c.Identity.PublicKey.Bytes.ToArray())).ToArray();

        // Two mix nodes, one per edge, each failing over to the other edge when its edge dies.
        var acked = new ConcurrentDictionary<int, bool>();
        var acks = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    var (_, _, ack) = await ackSink.ReceiveAsync(TimeSpan.FromSeconds(60));
                    acked[BinaryPrimitives.ReadInt32LittleEndian(ack)] = true;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        int nextId = 0;
        var sending = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 2).Select(edge => Task.Run(() => SendAsync(edge, destinations, ackSink, () => Interlocked.Increment(ref nextId), sending.Token))).ToList();

        var clock = Stopwatch.StartNew();
        await Task.Delay(3000);
        output.WriteLine($"{clock.Elapsed}: kill -9 edge 0 ({nextId} sent)");
        _processes.Single(p => p.Output.Contains($"on {Mix(0)}", StringComparison.Ordinal)).Kill();
        await Task.Delay(3000);
        output.WriteLine($"{clock.Elapsed}: kill -9 silo 0 ({nextId} sent)");
        _processes.First(p => p.Output.Contains("Silo ready", StringComparison.Ordinal)).Kill();
        await Task.Delay(4000);
        output.WriteLine($"{clock.Elapsed}: restart PostgreSQL ({nextId} sent)");
        await PostgresServer.RestartAsync();
        await Task.Delay(4000);
        await sending.CancelAsync();
        await Task.WhenAll(senders);
        output.WriteLine($"{clock.Elapsed}: stopped sending after {nextId} packets");

        // Every acknowledged message reaches its online client or is stored for the offline one.
        var onlineAddresses = online.ToDictionary(c => c.Identity.PublicKey.ToBase58());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        List<int> missing;
        do
        {
            await Task.Delay(500);
            missing = acked.Keys.Where(id => Destination(destinations, id) is var d && onlineAddresses.TryGetValue(d, out var client) && !client.Received.ContainsKey(id)).ToList();
        }
        while (missing.Count > 0 && DateTime.UtcNow < deadline);
        if (missing.Count > 0)
        {
            var stillStored = new List<int>();
            foreach (var client in online)
            {
                stillStored.AddRange((await PostgresServer.StoredMessagesAsync(client.Identity.PublicKey.ToBase58())).Select(m => BinaryPrimitives.ReadInt32LittleEndian(m)));
            }
            foreach (var process in _processes)
            {
                output.WriteLine("----- process output -----");
                output.WriteLine(string.Join('\n', process.Output.Split('\n').Where(l => l.Contains("warn", StringComparison.Ordinal) || l.Contains("fail", StringComparison.Ordinal) || l.Contains("rror", StringComparison.Ordinal)).Take(40)));
            }
            Assert.Fail($"{missing.Count} acknowledged messages never reached their online client ({missing.Count(stillStored.Contains)} of them are still stored): {string.Join(",", missing.Take(20))}");
        }

        foreach (var (identity, _) in offline)
        {
            var stored = (await PostgresServer.StoredMessagesAsync(identity.PublicKey.ToBase58()))
                .Select(m => BinaryPrimitives.ReadInt32LittleEndian(m)).ToHashSet();
            var expected = acked.Keys.Where(id => Destination(destinations, id) == identity.PublicKey.ToBase58()).ToList();
            Assert.All(expected, id => Assert.Contains(id, stored));
        }

        int duplicates = online.Sum(c => c.Duplicates);
        output.WriteLine($"{acked.Count} of {nextId} packets acknowledged; {online.Sum(c => c.Received.Count)} pushed to online clients; {duplicates} duplicate pushes");
        foreach (var client in online)
        {
            await client.DisposeAsync();
        }
        await acks.WaitAsync(TimeSpan.FromSeconds(70));
    }

    [Fact]
    public async Task Packets_replayed_through_the_other_edge_are_not_stored_again_nor_acknowledged()
    {
        await using var ackSink = new MixNodeStub();
        var timeout = TimeSpan.FromSeconds(30);
        string address;
        byte[] destination;
        await using (var client = await TestClient.ConnectAsync(Clients(0)))
        {
            Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(_gatewayIdentity, timeout));
            (address, destination) = (client.Address, client.AddressBytes);
        }
        byte[] Packet(int id)
        {
            var ack = new byte[PacketSizes.Ack];
            BinaryPrimitives.WriteInt32LittleEndian(ack, id);
            return FinalHopPackets.Regular(_sphinxKey, destination, BitConverter.GetBytes(id), new NodeAddress(ackSink.EndPoint), ack);
        }
        async Task<int> AckAsync(TimeSpan within) => BinaryPrimitives.ReadInt32LittleEndian((await ackSink.ReceiveAsync(within)).Packet);
        var packets = Enumerable.Range(0, 20).Select(Packet).ToList();
        const int Sentinel = 999;

        using (var mix = await MixSender.ConnectAsync(Mix(0)))
        {
            foreach (var packet in packets)
            {
                await mix.SendPacketAsync(packet);
            }
            for (int i = 0; i < packets.Count; i++)
            {
                await AckAsync(timeout);
            }
        }
        // The other edge's filter never saw them: only the cluster's stored tags can tell.
        using (var mix = await MixSender.ConnectAsync(Mix(1)))
        {
            foreach (var packet in packets.Append(Packet(Sentinel)))
            {
                await mix.SendPacketAsync(packet);
            }
            Assert.Equal(Sentinel, await AckAsync(timeout));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AckAsync(TimeSpan.FromMilliseconds(500)));
        }
        var stored = (await PostgresServer.StoredMessagesAsync(address)).Select(m => BitConverter.ToInt32(m)).ToList();
        Assert.Equal([.. Enumerable.Range(0, 20), Sentinel], stored);
    }

    private static string Destination(byte[][] destinations, int id) =>
        NymGateway.Nym.Encoding.Base58Text.Encode(destinations[id % destinations.Length]);

    private async Task SendAsync(int edge, byte[][] destinations, MixNodeStub ackSink, Func<int> nextId, CancellationToken stop)
    {
        MixSender? sender = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                sender ??= await MixSender.ConnectAsync(Mix(edge));
                int id = nextId();
                var message = new byte[64];
                BinaryPrimitives.WriteInt32LittleEndian(message, id);
                var ack = new byte[PacketSizes.Ack];
                BinaryPrimitives.WriteInt32LittleEndian(ack, id);
                var packet = FinalHopPackets.Regular(_sphinxKey, destinations[id % destinations.Length], message, new NodeAddress(ackSink.EndPoint), ack);
                await sender.SendPacketAsync(packet);
                await Task.Delay(5, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
            {
                sender?.Dispose();
                sender = null;
                edge = 1 - edge;
            }
        }
        sender?.Dispose();
    }

    /// <summary>A connected client that records every push and reconnects through the other edge when its edge dies.</summary>
    private sealed class OnlineClient : IAsyncDisposable
    {
        private readonly ClusterEndToEndTests _test;
        private readonly CancellationTokenSource _stop = new();
        private TestClient _client;
        private Task _loop = Task.CompletedTask;
        private int _edge;

        private OnlineClient(ClusterEndToEndTests test, TestClient client, int edge)
        {
            _test = test;
            _client = client;
            _edge = edge;
        }

        public IdentityKeyPair Identity => _client.Identity;
        public ConcurrentDictionary<int, bool> Received { get; } = new();
        public int Duplicates;

        public static async Task<OnlineClient> StartAsync(ClusterEndToEndTests test, int edge, TimeSpan timeout)
        {
            var client = await TestClient.ConnectAsync(test.Clients(edge));
            Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(test._gatewayIdentity, timeout));
            var online = new OnlineClient(test, client, edge);
            online._loop = Task.Run(online.ReceiveLoopAsync);
            return online;
        }

        private async Task ReceiveLoopAsync()
        {
            var keys = _client.Keys!;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var message = await _client.ReceivePushAsync(TimeSpan.FromSeconds(1));
                    if (!Received.TryAdd(BinaryPrimitives.ReadInt32LittleEndian(message), true))
                    {
                        Interlocked.Increment(ref Duplicates);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (System.Threading.Channels.ChannelClosedException)
                {
                    // our edge closed: come back, trying the edges in turn
                    await _client.DisposeAsync();
                    while (!_stop.IsCancellationRequested)
                    {
                        _edge = 1 - _edge;
                        try
                        {
                            _client = await TestClient.ConnectAsync(_test.Clients(_edge), Identity);
                            if (await _client.AuthenticateAsync(keys, TimeSpan.FromSeconds(15)) is ServerResponse.Authenticate { Status: true })
                            {
                                break;
                            }
                        }
                        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or InvalidDataException)
                        {
                        }
                        await Task.Delay(500);
                    }
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            await _client.DisposeAsync();
            _stop.Dispose();
        }
    }
}
