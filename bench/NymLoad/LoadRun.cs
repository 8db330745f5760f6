using System.Diagnostics;
using System.Runtime.InteropServices;
using NymGateway.Fleet;
using NymGateway.Load.Gateway;
using NymGateway.Load.Legacy;
using NymGateway.Load.Measure;
using NymGateway.Load.Options;
using NymGateway.Load.Phases;
using NymGateway.Load.Report;
using NymGateway.Load.Traffic;
using NymGateway.Nym.Addressing;

namespace NymGateway.Load;

/// <summary>
/// One run, phase by phase, each rate a ratio of the final-hop rate measured first in the same run:
/// final hop (driver only), offline ingest with handshakes probed alongside, the 0.9.2 stand-in on the
/// same messages, the backlog pushed to returning clients, live pushes, push latency at a paced rate,
/// and a reconnect that must bring nothing again. Full-rate phases have an unmeasured warm-up first.
/// </summary>
public sealed class LoadRun(LoadOptions options, string command, TextWriter error)
{
    // Frames for a full-rate phase: the gateway does the final hop and more, so it cannot take more
    // than the final-hop rate for long; the margin covers a denominator measured on a busy machine.
    private const double Headroom = 1.25;
    private readonly RunCounters _counters = new();
    private readonly ErrorCounts _errors = new();
    private long _nextNumber;

    public async Task<int> RunAsync(CancellationToken cancel)
    {
        var started = DateTime.UtcNow;
        var loadAtStart = LoadAverage();
        await using var progress = new ProgressLine(_counters, error, !Console.IsErrorRedirected);
        using var home = new TemporaryHome("nym-load");
        await using var acks = new AckCounter(_counters);
        await using var gateway = await GatewayUnderTest.StartAsync(options, home.Path);
        progress.Say($"gateway up: {gateway.Description}");
        try
        {
            var result = await MeasureAsync(gateway, acks, home.Path, progress, cancel) with { Command = command, StartedUtc = started, LoadAverageAtStart = loadAtStart };
            foreach (var file in ReportWriter.Write(result, options.Output))
            {
                progress.Say($"wrote {file}");
            }
            return 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            progress.Say($"nym-load: the run failed: {ex.Message}\n{gateway.Tails(20)}");
            return 1;
        }
    }

    private async Task<LoadResult> MeasureAsync(GatewayUnderTest gateway, AckCounter acks, string home, ProgressLine progress, CancellationToken cancel)
    {
        var keys = gateway.Keys;
        var book = new MessageBook(_counters, _errors);
        var clients = new PushClients(gateway.ClientsUris, keys.Identity, book, _errors);
        progress.Phase("registering", c => c.Sent);
        await clients.RegisterAsync(options.Clients);
        var ackFirstHop = new NodeAddress(acks.EndPoint);
        FramePool Build(double rate, TimeSpan length)
        {
            int count = (int)Math.Clamp(rate * length.TotalSeconds, 1000, options.MaxFrames);
            progress.Phase($"building {count:N0}", c => c.Sent);
            var pool = FramePool.Build(keys.SphinxKey, clients.Addresses, ackFirstHop, _nextNumber, count, cancel);
            _nextNumber += count;
            return pool;
        }
        await using var sampler = new ProcessSampler([.. gateway.Processes.Select(p => (p.Name, p.Process.Id)), ("driver", Environment.ProcessId)]);
        var phases = new PhaseRunner(_counters, _errors, new MixLoad(gateway.MixEndPoints, options.Connections, _counters, _errors), sampler, progress);

        // The denominator, with the gateway idle.
        var probe = Build(4096, TimeSpan.FromSeconds(1));
        var unwrapFor = TimeSpan.FromSeconds(Math.Max(3, options.Phase.TotalSeconds / 2));
        phases.FinalHop = (await phases.RunAsync("final hop (driver)", c => c.Sent, () =>
        {
            var (unwrapped, took) = FinalHopRate.Measure(keys.PrivateSphinxKey, probe.Frames, unwrapFor);
            return Task.FromResult((0L, 0L, 0L, unwrapped, took));
        })).Rate;
        probe.Release();
        double finalHop = phases.FinalHop;

        // Offline ingest: every client away, so every message is stored; its SURB-ACK says when.
        Func<MessageLedger, long> acked = _ => _counters.Acked;
        var warm = await phases.SendAsync("offline warm-up", book.Open(Build(finalHop * 0.8, options.WarmUp)), options.WarmUp, acked, cancel);
        var offlinePool = Build(Headroom * Math.Max(finalHop, warm.Rate), options.Phase);
        var probing = new HandshakeProbe(gateway.ClientsUris, keys.Identity, _errors);
        using var stopProbing = new CancellationTokenSource();
        var probes = options.HandshakeClients > 0 ? probing.RunAsync(options.HandshakeClients, stopProbing.Token) : Task.CompletedTask;
        var offline = await phases.SendAsync("offline ingest", book.Open(offlinePool), options.Phase, acked, cancel, stopWhenSent: stopProbing, keepFrames: true); // the stand-in's messages
        await probes;

        // The same messages through the 0.9.2 stand-in, while the gateway idles.
        using var legacyStore = new LegacyInboxStore(Path.Combine(home, "legacy-inboxes"));
        var legacy = new LegacyGateway(keys.PrivateSphinxKey, legacyStore);
        await legacy.CreateInboxesAsync(clients.Addresses);
        var legacyIngest = await phases.RunAsync("0.9.2 stand-in ingest", c => c.Sent, async () =>
        {
            var (stored, took) = await legacy.IngestAsync(offlinePool, options.Connections, options.Phase);
            return (stored, stored, 0, stored, took);
        });
        offlinePool.Release();
        var legacyRetrieval = await phases.RunAsync("0.9.2 stand-in retrieval", c => c.Sent, async () =>
        {
            var (retrieved, took) = await legacy.RetrieveAndDeleteAsync(clients.Addresses);
            return (0, 0, retrieved, retrieved, took);
        });

        // The clients come back: the backlog is pushed (and deleted behind the sends).
        var backlog = await phases.RunAsync("backlog retrieval", c => c.Pushed, async () =>
        {
            long before = _counters.Pushed;
            var clock = Stopwatch.StartNew();
            await clients.ConnectAsync();
            var (drained, at) = await PhaseRunner.SettleAsync(() => _counters.Pushed - before, warm.Acked + offline.Acked, clock, cancel);
            return (0, 0, drained, drained, at);
        });

        // Live: every client connected.
        Func<MessageLedger, long> pushed = l => l.Distinct;
        var liveWarm = await phases.SendAsync("live warm-up", book.Open(Build(finalHop * 0.8, options.WarmUp)), options.WarmUp, pushed, cancel);
        var live = await phases.SendAsync("live pushes", book.Open(Build(Headroom * Math.Max(finalHop, liveWarm.Rate), options.Phase)), options.Phase, pushed, cancel);

        // Latency at a paced rate (half the live rate unless told).
        double rate = options.LatencyRate ?? Math.Max(1, live.Rate / 2);
        var paced = book.Open(Build(rate * 1.05, options.Phase), timed: true);
        await phases.SendAsync("latency (paced)", paced, options.Phase, pushed, cancel, rate);
        var samples = paced.Latencies.ToList();
        var latency = new LatencyResult(rate, Percentiles.Of(samples.Select(s => s.Milliseconds)), samples);
        progress.Say($"push latency at {rate:N0} msg/s: p50 {latency.Push.P50:F2} ms, p99 {latency.Push.P99:F2} ms, p99.9 {latency.Push.P999:F2} ms, max {latency.Push.Max:F2} ms");

        // Nothing twice: after a reconnect nothing comes again; and nothing sent may be missing.
        progress.Phase("reconnect", c => c.Pushed);
        await clients.DisconnectAsync();
        await clients.ConnectAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), cancel);
        await clients.DisconnectAsync();
        foreach (var ledger in book.Ledgers)
        {
            _errors.Add(ErrorKind.PushesMissing, ledger.Pool.Taken - ledger.Distinct);
            _errors.Add(ErrorKind.PushesDuplicated, ledger.Duplicates);
        }
        var handshakes = options.HandshakeClients > 0 ? probing.Result : null;
        if (handshakes is not null)
        {
            progress.Say($"handshake replies under load: register p99 {handshakes.Register.P99:F0} ms, authenticate p99 {handshakes.Authenticate.P99:F0} ms (0.9.2 clients wait {handshakes.ClientClockMs:F0} ms); {handshakes.Failures} failed");
        }
        return new LoadResult("", default, Machine(), "", LoadAverage(), gateway.Description,
            new RunSettings(options.Mode.ToString(), options.Mode == GatewayMode.Cluster ? options.Edges : 0, options.Phase.TotalSeconds, options.Clients, options.Connections, options.HandshakeClients),
            finalHop, phases.Results, latency, handshakes, new LegacyComparison(offline.Rate, legacyIngest.Rate, backlog.Rate, legacyRetrieval.Rate), _errors.ByKind());
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Machine()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        return $"{Environment.ProcessorCount} cores ({model}), {RuntimeInformation.OSDescription}";
    }
}
