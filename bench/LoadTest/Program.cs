using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NymGateway.Cli.Config;
using NymGateway.Cli.Hosting;
using NymGateway.Grains.Storage;
using NymGateway.LoadTest;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Sphinx;
using NymGateway.Tools;

// End-to-end load run of the single-process gateway on this machine, bounded in time.
// Everything is reported relative to the raw final-hop rate measured first, in the same run.
// Usage: LoadTest [seconds per phase, default 10] [latency phase rate in msg/s, default half the live rate]
// NYM_LOAD_POLL_MS overrides the inbox stream's poll period.
// NYM_LOAD_EDGES=N runs cluster mode instead: 1 silo and N edges in this process, on the PostgreSQL of
// NYM_LOAD_POSTGRES (default: the one `bash scripts/postgres.sh` starts, on port 25432).
var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
const int Clients = 32;
const int Connections = 4;
const int DistinctPackets = 4096;
var duration = TimeSpan.FromSeconds(seconds);

var root = Path.Combine(Path.GetTempPath(), "nym-gateway-load", Guid.NewGuid().ToString("N"));
var config = GatewayConfig.CreateDefault("load", root);
int edgeCount = int.Parse(Environment.GetEnvironmentVariable("NYM_LOAD_EDGES") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
var ports = Enumerable.Range(0, 4 + 2 * edgeCount).Select(_ => { var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0); l.Start(); var p = ((IPEndPoint)l.LocalEndpoint).Port; l.Stop(); return p; }).ToArray();
config.MixnetEndpoint.ListeningAddress = new IPEndPoint(IPAddress.Loopback, ports[0]);
config.ClientsEndpoint.ListeningAddress = new IPEndPoint(IPAddress.Loopback, ports[1]);
config.Cluster.SiloPort = ports[2];
config.Cluster.GatewayPort = ports[3];
config.Gateway.ValidatorRestUrl = "";
config.Storage.MaxMessagesPerInbox = 10_000_000;
if (Environment.GetEnvironmentVariable("NYM_LOAD_POLL_MS") is { } pollMs) { config.Cluster.StreamPollPeriod = TimeSpan.FromMilliseconds(double.Parse(pollMs, System.Globalization.CultureInfo.InvariantCulture)); }
GatewayKeyFiles.Create(config);
var identity = GatewayKeyFiles.Load(config);
using var ackSink = new DiscardListener();

// Clients and their pre-built packets; each message starts with its index, so latency can be measured.
Console.WriteLine($"building {DistinctPackets} packets for {Clients} clients...");
var clientIdentities = Enumerable.Range(0, Clients).Select(_ => NymGateway.Nym.Keys.IdentityKeyPair.Generate()).ToArray();
var frames = new byte[DistinctPackets][];
Parallel.For(0, DistinctPackets, i =>
{
    var message = new byte[FinalHopPackets.MaxRegularMessage];
    BinaryPrimitives.WriteInt32LittleEndian(message, i);
    var packet = FinalHopPackets.Regular(identity.Sphinx.PublicKey, clientIdentities[i % Clients].PublicKey.Bytes.ToArray(), message,
        new NodeAddress(ackSink.EndPoint), new byte[PacketSizes.Ack]);
    frames[i] = SphinxFrameCodec.Encode(PacketMode.Mix, packet);
});

// 1. Raw final-hop rate on all cores (the same work the gateway does per packet, nothing else).
var unwrapRate = MeasureUnwrapRate(identity.Sphinx.Secret, frames, TimeSpan.FromSeconds(Math.Max(3, seconds / 2)));
Console.WriteLine($"final-hop processing, {Environment.ProcessorCount} threads: {unwrapRate:F0} packets/s");

var hosts = new List<Microsoft.Extensions.Hosting.IHost>();
var edges = new List<(IPEndPoint Mix, Uri Clients)>();
if (edgeCount == 0)
{
    var app = GatewayHostFactory.BuildSingleProcess(config, identity);
    await app.StartAsync();
    hosts.Add(app);
    edges.Add((config.MixnetEndpoint.ListeningAddress, new Uri($"ws://{config.ClientsEndpoint.ListeningAddress}/")));
}
else
{
    config.Storage.Database = NymGateway.Cli.Config.Sections.StorageSection.Postgres;
    // No TLS on loopback: encrypting every message to the database buys nothing on one machine.
    config.Storage.PostgresConnectionString = Environment.GetEnvironmentVariable("NYM_LOAD_POSTGRES") ?? "Host=127.0.0.1;Port=25432;Database=nymgateway;Username=nymgateway;Password=nymgateway;SSL Mode=Disable";
    config.Cluster.ClusterId = "load-" + Guid.NewGuid().ToString("N")[..8];
    var silo = GatewayHostFactory.BuildClusterSilo(config, identity, IPAddress.Loopback);
    await silo.StartAsync();
    hosts.Add(silo);
    for (int e = 0; e < edgeCount; e++)
    {
        config.MixnetEndpoint.ListeningAddress = new IPEndPoint(IPAddress.Loopback, ports[4 + 2 * e]);
        config.ClientsEndpoint.ListeningAddress = new IPEndPoint(IPAddress.Loopback, ports[5 + 2 * e]);
        var edge = GatewayHostFactory.BuildClusterEdge(config, identity);
        await edge.StartAsync();
        hosts.Add(edge);
        edges.Add((config.MixnetEndpoint.ListeningAddress, new Uri($"ws://{config.ClientsEndpoint.ListeningAddress}/")));
    }
}
Console.WriteLine(edgeCount == 0 ? "mode: single process (SQLite)" : $"mode: cluster, 1 silo + {edgeCount} edge(s) (PostgreSQL)");
var store = hosts[0].Services.GetRequiredService<IGatewayStore>();
Uri ClientsUri(int i) => edges[i % edges.Count].Clients;

var keys = new SharedKeys[Clients];
for (int i = 0; i < Clients; i++)
{
    await using var client = await TestClient.ConnectAsync(ClientsUri(i), clientIdentities[i]);
    await client.RegisterAsync(identity.Identity.PublicKey, TimeSpan.FromSeconds(30));
    keys[i] = client.Keys!;
}

// 2. Offline ingest: clients away, every message is committed to its inbox. A few unmeasured
// seconds first, so tiered JIT has compiled the hot paths (it takes a fifth of the CPU until then).
var warmUp = TimeSpan.FromSeconds(Math.Min(5, seconds));
var warmSent = await SendForAsync(warmUp, rate: 0, times: null);
await WaitForAsync(CountAll, warmSent.Packets, Stopwatch.StartNew());
long before = await CountAll();
var ingestClock = Stopwatch.StartNew();
var sent = await SendForAsync(duration, rate: 0, times: null);
var (stored, storedAt) = await WaitForAsync(async () => await CountAll() - before, sent.Packets, ingestClock);
var offlineRate = stored / storedAt.TotalSeconds;
Console.WriteLine($"offline ingest: {stored} of {sent.Packets} sent stored in {storedAt.TotalSeconds:F1}s = {offlineRate:F0} msg/s = {offlineRate / unwrapRate:P0} of final-hop rate");

// 3. Live pushes: clients connected (they first drain the backlog above).
var received = new long[1];
var latencies = new ConcurrentBag<double>();
var sendTimes = new long[DistinctPackets];
var online = new List<TestClient>();
for (int i = 0; i < Clients; i++)
{
    var client = await TestClient.ConnectAsync(ClientsUri(i), clientIdentities[i]);
    await client.AuthenticateAsync(keys[i], TimeSpan.FromSeconds(30));
    online.Add(client);
}
var measuring = false;
var receivers = online.Select(client => Task.Run(async () =>
{
    while (true)
    {
        byte[] message;
        try
        {
            message = await client.ReceivePushAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            return;
        }
        Interlocked.Increment(ref received[0]);
        if (measuring)
        {
            long sentAt = Volatile.Read(ref sendTimes[BinaryPrimitives.ReadInt32LittleEndian(message)]);
            if (sentAt > 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
            }
        }
    }
})).ToList();
await WaitForDrain();
Interlocked.Exchange(ref received[0], 0);
warmSent = await SendForAsync(warmUp, rate: 0, times: null);
await WaitForAsync(() => Task.FromResult(Interlocked.Read(ref received[0])), warmSent.Packets, Stopwatch.StartNew());
Interlocked.Exchange(ref received[0], 0);
Console.WriteLine($"live phase: {duration.TotalSeconds:F0}s of packets to connected clients");
var liveClock = Stopwatch.StartNew();
var live = await SendForAsync(duration, rate: 0, times: null);
var (pushed, pushedAt) = await WaitForAsync(() => Task.FromResult(Interlocked.Read(ref received[0])), live.Packets, liveClock);
var liveRate = pushed / pushedAt.TotalSeconds;
Console.WriteLine($"live pushes: {pushed} of {live.Packets} sent pushed in {pushedAt.TotalSeconds:F1}s = {liveRate:F0} msg/s = {liveRate / unwrapRate:P0} of final-hop rate");

// 4. Latency, mix port in -> websocket out, at half the sustained live rate.
await WaitForDrain();
measuring = true;
var pacedRate = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : liveRate / 2;
var paced = await SendForAsync(duration, rate: pacedRate, sendTimes);
await Task.Delay(2000);
var sorted = latencies.OrderBy(x => x).ToArray();
if (sorted.Length > 0)
{
    Console.WriteLine($"push latency at {pacedRate:F0} msg/s ({sorted.Length} samples): p50 {Percentile(0.50):F2} ms, p90 {Percentile(0.90):F2} ms, p99 {Percentile(0.99):F2} ms, max {sorted[^1]:F2} ms");
}

foreach (var client in online)
{
    await client.DisposeAsync();
}
await Task.WhenAll(receivers).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
foreach (var host in Enumerable.Reverse(hosts))
{
    await host.StopAsync();
    host.Dispose();
}
Directory.Delete(root, recursive: true);
return;

double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

async Task<long> CountAll()
{
    long total = 0;
    foreach (var c in clientIdentities)
    {
        total += await store.CountAsync(c.PublicKey.ToBase58());
    }
    return total;
}

// Waits until the count reaches the target or stops growing for 5 s; returns it and when it last grew.
static async Task<(long Count, TimeSpan At)> WaitForAsync(Func<Task<long>> count, long target, Stopwatch clock)
{
    long last = -1;
    var lastGrowth = clock.Elapsed;
    while (true)
    {
        long now = await count();
        if (now != last)
        {
            last = now;
            lastGrowth = clock.Elapsed;
        }
        if (now >= target || clock.Elapsed - lastGrowth > TimeSpan.FromSeconds(5))
        {
            return (now, lastGrowth);
        }
        await Task.Delay(100);
    }
}

async Task WaitForDrain()
{
    var deadline = Stopwatch.StartNew();
    while (await CountAll() > 0 && deadline.Elapsed < TimeSpan.FromSeconds(120))
    {
        await Task.Delay(200);
    }
}

async Task<(long Packets, TimeSpan Elapsed)> SendForAsync(TimeSpan length, double rate, long[]? times)
{
    long count = 0;
    var clock = Stopwatch.StartNew();
    var senders = Enumerable.Range(0, Connections).Select(c => Task.Run(async () =>
    {
        using var mix = await MixSender.ConnectAsync(edges[c % edges.Count].Mix);
        int next = c;
        double perConnection = rate / Connections;
        long mine = 0;
        while (clock.Elapsed < length)
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds(mine / perConnection);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }
            int index = next % DistinctPackets;
            if (times is not null)
            {
                Volatile.Write(ref times[index], Stopwatch.GetTimestamp());
            }
            await mix.SendRawAsync(frames[index]);
            next += Connections;
            mine++;
            Interlocked.Increment(ref count);
        }
    })).ToList();
    await Task.WhenAll(senders);
    return (Interlocked.Read(ref count), clock.Elapsed);
}

static double MeasureUnwrapRate(byte[] sphinxSecret, byte[][] frames, TimeSpan length)
{
    var processor = new FinalHopProcessor(new SphinxNode(sphinxSecret));
    long processed = 0;
    var clock = Stopwatch.StartNew();
    Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
    {
        var scratch = new byte[PacketSizes.Extended];
        long mine = 0;
        for (int i = t; clock.Elapsed < length; i += Environment.ProcessorCount)
        {
            var frame = frames[i % frames.Length];
            processor.TryProcess(PacketSize.RegularPacket, PacketMode.Mix, frame.AsSpan(SphinxFrameCodec.HeaderSize), scratch, out _, out _);
            mine++;
        }
        Interlocked.Add(ref processed, mine);
    });
    return processed / clock.Elapsed.TotalSeconds;
}
