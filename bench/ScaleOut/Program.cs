using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using NymGateway.Fleet;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.ScaleOut;
using NymGateway.Tools;

// Scale-out measured: sustained ingest into offline inboxes with 1..3 edges (each held to the same
// CPU quota by a cgroup) and 1..2 silos on one PostgreSQL, every host in its own network namespace,
// driven from outside by a load driver in a namespace of its own; CPU seconds per 1,000 messages
// in each tier from the groups' cpuacct. See docs/scale-out.md. Needs root.
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(ScaleOptions.Usage);
    return 0;
}
var options = ScaleOptions.Parse(args);
var command = "dotnet run -c Release --project bench/ScaleOut --" + string.Concat(args.Select(a => " " + a));
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // unwind through the clean-up below instead of dying with namespaces and groups left
    cancel.Cancel();
};
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    cancel.Cancel();
});

// One run at a time (two would measure each other); only while holding this is a group of another run a leftover.
var lockPath = Path.Combine(Path.GetTempPath(), "nym-scale-out.lock");
FileStream runLock;
try
{
    runLock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
}
catch (IOException)
{
    Console.Error.WriteLine($"another scale-out run is in progress (it holds {lockPath})");
    return 1;
}
using var held = runLock;
foreach (var leftover in await ScaleFleet.RemoveLeftoversAsync())
{
    Console.WriteLine($"removed the leftover group {leftover} of an earlier run (and its namespaces)");
}
var loadAtStart = LoadAverage();
Console.WriteLine($"load average {loadAtStart}; hosts: PostgreSQL, {options.Silos.Max()} silo(s), {options.Edges.Max()} edge(s), the driver");
var hostReports = new StringBuilder();
var results = new List<ConfigurationResult>();
int exitCode = 0;
await using (var fleet = await ScaleFleet.CreateAsync(options.Silos.Max(), options.Edges.Max(), line => hostReports.AppendLine(line)))
{
    try
    {
        await using var acks = new AckCounter(fleet.Driver, 1790);
        var clients = Enumerable.Range(0, options.Clients).Select(_ => IdentityKeyPair.Generate()).ToArray();
        var clock = Stopwatch.StartNew();
        var pool = FramePool.Build(fleet.GatewaySphinxKey, [.. clients.Select(c => c.PublicKey.Bytes.ToArray())], new NodeAddress(acks.EndPoint), options.Frames, 16, cancel.Token);
        Console.WriteLine($"built {pool.Frames} distinct frames in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var silos in options.Silos)
        {
            foreach (var edges in options.Edges)
            {
                var result = await MeasureAsync(fleet, acks, pool, clients, silos, edges, cancel.Token);
                results.Add(result);
                Console.WriteLine($"{silos} silo(s), {edges} edge(s): {result.IngestPerSecond:F0} msg/s stored; CPU s per 1,000: edge {result.EdgeCpuPer1000:F3}, " +
                    $"silo {result.SiloCpuPer1000:F3}, PostgreSQL {result.PostgresCpuPer1000:F3}; edge quota use {string.Join(" / ", result.EdgeQuotaUse.Select(u => $"{u:P0}"))}; " +
                    $"machine busy {result.MachineBusyCores:F2} cores, load {result.LoadAverage}");
            }
        }
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine(ex is OperationCanceledException ? "interrupted: cleaning up" : $"failed: {ex}\n{fleet.Tails(30)}");
        exitCode = 1;
    }
}
if (results.Count > 0)
{
    var written = await Report.WriteAsync(options.Results, options, command, results, loadAtStart);
    Console.WriteLine(Report.Markdown(options, command, results, loadAtStart));
    Console.WriteLine($"results: {written}.json, {written}.md");
}
if (exitCode != 0)
{
    Console.Error.WriteLine(hostReports);
}
return exitCode;

async Task<ConfigurationResult> MeasureAsync(ScaleFleet fleet, AckCounter acks, FramePool pool, IdentityKeyPair[] clients, int silos, int edges, CancellationToken cancellation)
{
    var database = $"scale_{silos}s_{edges}e_{Environment.TickCount64}";
    await fleet.CreateDatabaseAsync(database);
    await fleet.StartClusterAsync(database, silos, edges, cancellation);
    var edgeHosts = fleet.Edges.Take(edges).ToList();
    try
    {
        foreach (var edge in edgeHosts)
        {
            fleet.Groups[edge].SetQuota(options.EdgeCores, options.QuotaPeriod);
        }
        await RegisterAsync(fleet, edgeHosts, clients, cancellation);
        pool.Reset();
        var clock = Stopwatch.StartNew();
        var idleStart = await Snapshot.TakeAsync(fleet, acks, database, clock);
        await Task.Delay(options.Idle, cancellation);
        var before = await Snapshot.TakeAsync(fleet, acks, database, clock);
        Snapshot start, end;
        bool ranOut;
        await using (await LoadDriver.StartAsync(fleet.Driver, [.. edgeHosts.Select(e => new IPEndPoint(e.Address, 1789))], options.ConnectionsPerEdge, pool))
        {
            await Task.Delay(options.Warmup, cancellation);
            start = await Snapshot.TakeAsync(fleet, acks, database, clock);
            await Task.Delay(options.Window, cancellation);
            end = await Snapshot.TakeAsync(fleet, acks, database, clock);
            ranOut = pool.RanOut;
        }
        var load = LoadAverage();
        // What the edges had read when the driver stopped is still stored and acknowledged: wait for the ACKs to stop.
        long acked = await SettledAcksAsync(acks, edgeHosts, cancellation) - edgeHosts.Sum(e => before.AcksByEdge[e.Name]);
        long stored = long.Parse((await fleet.SqlAsync(database, "SELECT count(*) FROM gateway_messages"))[0], System.Globalization.CultureInfo.InvariantCulture);
        return ConfigurationResult.From(silos, edges, options.EdgeCores, fleet, idleStart, before, start, end, stored, acked, load, ranOut);
    }
    finally
    {
        foreach (var edge in edgeHosts)
        {
            fleet.Groups[edge].SetQuota(null, options.QuotaPeriod);
        }
        await fleet.StopClusterAsync();
    }
}

// Every client registers (the websocket handshake) through an edge, round robin, and goes offline.
async Task RegisterAsync(ScaleFleet fleet, List<FleetHost> edges, IdentityKeyPair[] clients, CancellationToken cancellation)
{
    await Parallel.ForEachAsync(Enumerable.Range(0, clients.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellation }, async (i, token) =>
    {
        var edge = edges[i % edges.Count];
        await using var client = await TestClient.ConnectAsync(new Uri($"ws://{edge.Address}:9000/"), clients[i], fleet.Driver.Http, token);
        var response = await client.RegisterAsync(fleet.GatewayIdentity, TimeSpan.FromSeconds(30));
        if (response is not ServerResponse.Register { Status: true })
        {
            throw new InvalidOperationException($"client {i} could not register through {edge.Name}: {response}");
        }
    });
}

static async Task<long> SettledAcksAsync(AckCounter acks, List<FleetHost> edges, CancellationToken cancellation)
{
    long Total() { var byEdge = acks.ByEdge(); return edges.Sum(e => byEdge.GetValueOrDefault(e.Address)); }
    long last = -1;
    for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < TimeSpan.FromSeconds(30) && Total() is var now && now != last; last = now)
    {
        await Task.Delay(1000, cancellation);
    }
    return Total();
}

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
