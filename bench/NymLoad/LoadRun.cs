using System.Diagnostics;
using System.Runtime.InteropServices;
using NymGateway.Fleet;
using NymGateway.Load.Gateway;
using NymGateway.Load.Legacy;
using NymGateway.Load.Measure;
using NymGateway.Load.Options;
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
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(5);
    private readonly RunCounters _counters = new();
    private readonly ErrorCounts _errors = new();
    private readonly List<PhaseResult> _phases = [];
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
        var mix = new MixLoad(gateway.MixEndPoints, options.Connections, _counters, _errors);

        // The denominator, with the gateway idle.
        var probe = Build(4096, TimeSpan.FromSeconds(1));
        progress.Phase("final hop", c => c.Sent);
        var window = sampler.Begin();
        var unwrapFor = TimeSpan.FromSeconds(Math.Max(3, options.Phase.TotalSeconds / 2));
        double finalHop = FinalHopRate.Measure(keys.PrivateSphinxKey, probe.Frames, unwrapFor);
        Add(progress, new PhaseResult("final hop (driver)", 0, 0, 0, unwrapFor.TotalSeconds, finalHop, 1, window.End()));
        probe.Release();

        // Offline ingest: every client away, so every message is stored; its SURB-ACK says when.
        var warm = await FullRateAsync("offline warm-up", Build(finalHop * 0.8, options.WarmUp), options.WarmUp, book, mix, sampler, progress, finalHop, _ => _counters.Acked, cancel);
        var offlinePool = Build(Math.Min(finalHop, 2 * warm.Rate), options.Phase);
        var probing = new HandshakeProbe(gateway.ClientsUris, keys.Identity, _errors);
        using var stopProbing = new CancellationTokenSource();
        var probes = options.HandshakeClients > 0 ? probing.RunAsync(options.HandshakeClients, stopProbing.Token) : Task.CompletedTask;
        var offline = await FullRateAsync("offline ingest", offlinePool, options.Phase, book, mix, sampler, progress, finalHop, _ => _counters.Acked, cancel, stopProbing, keepFrames: true); // the stand-in gets the same messages
        await probes;

        // The same messages through the 0.9.2 stand-in, while the gateway idles.
        using var legacyStore = new LegacyInboxStore(Path.Combine(home, "legacy-inboxes"));
        var legacy = new LegacyGateway(keys.PrivateSphinxKey, legacyStore);
        await legacy.CreateInboxesAsync(clients.Addresses);
        progress.Phase("0.9.2 ingest", c => c.Sent);
        window = sampler.Begin();
        var (legacyStored, legacyTook) = await legacy.IngestAsync(offlinePool, options.Connections, options.Phase);
        var legacyIngest = Add(progress, new PhaseResult("0.9.2 stand-in ingest", legacyStored, legacyStored, 0, legacyTook.TotalSeconds, legacyStored / legacyTook.TotalSeconds, legacyStored / legacyTook.TotalSeconds / finalHop, window.End()));
        progress.Phase("0.9.2 retrieval", c => c.Sent);
        window = sampler.Begin();
        var (legacyRetrieved, retrievalTook) = await legacy.RetrieveAndDeleteAsync(clients.Addresses);
        offlinePool.Release();
        var legacyRetrieval = Add(progress, new PhaseResult("0.9.2 stand-in retrieval", 0, 0, legacyRetrieved, retrievalTook.TotalSeconds, legacyRetrieved / retrievalTook.TotalSeconds, legacyRetrieved / retrievalTook.TotalSeconds / finalHop, window.End()));

        // The clients come back: the backlog is pushed (and deleted behind the sends).
        progress.Phase("backlog", c => c.Pushed);
        window = sampler.Begin();
        long pushedBefore = _counters.Pushed;
        var clock = Stopwatch.StartNew();
        await clients.ConnectAsync();
        var (drained, drainedAt) = await SettleAsync(() => _counters.Pushed - pushedBefore, warm.Acked + offline.Acked, clock, cancel);
        var backlog = Add(progress, new PhaseResult("backlog retrieval", 0, 0, drained, drainedAt.TotalSeconds, drained / drainedAt.TotalSeconds, drained / drainedAt.TotalSeconds / finalHop, window.End()));

        // Live: every client connected.
        var liveWarm = await FullRateAsync("live warm-up", Build(finalHop * 0.8, options.WarmUp), options.WarmUp, book, mix, sampler, progress, finalHop, l => l.Distinct, cancel);
        var live = await FullRateAsync("live pushes", Build(Math.Min(finalHop, 2 * liveWarm.Rate), options.Phase), options.Phase, book, mix, sampler, progress, finalHop, l => l.Distinct, cancel);

        // Latency at a paced rate (half the live rate unless told).
        double rate = options.LatencyRate ?? Math.Max(1, live.Rate / 2);
        var latencyLedger = book.Open(Build(rate * 1.05, options.Phase), timed: true);
        progress.Phase("latency", c => c.Pushed);
        long ackedBefore = _counters.Acked;
        window = sampler.Begin();
        clock = Stopwatch.StartNew();
        var (paced, _) = await mix.SendAsync(latencyLedger, options.Phase, rate, cancel);
        var (pacedPushed, pacedAt) = await SettleAsync(() => latencyLedger.Distinct, paced, clock, cancel);
        latencyLedger.Pool.Release();
        Add(progress, new PhaseResult("latency (paced)", paced, _counters.Acked - ackedBefore, pacedPushed, pacedAt.TotalSeconds, pacedPushed / pacedAt.TotalSeconds, pacedPushed / pacedAt.TotalSeconds / finalHop, window.End()));
        var latency = new LatencyResult(rate, Percentiles.Of(latencyLedger.Latencies.Select(s => s.Milliseconds)), [.. latencyLedger.Latencies]);
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
            finalHop, _phases, latency, handshakes, new LegacyComparison(offline.Rate, legacyIngest.Rate, backlog.Rate, legacyRetrieval.Rate), _errors.ByKind());
    }

    /// <summary>
    /// Sends a pool as fast as the gateway takes it and waits until what the phase counts (SURB-ACKs,
    /// or distinct pushes of this pool) reached what was sent or stopped growing; the rate is that
    /// count over the time until it last grew.
    /// </summary>
    private async Task<PhaseResult> FullRateAsync(string name, FramePool pool, TimeSpan length, MessageBook book, MixLoad mix, ProcessSampler sampler, ProgressLine progress,
        double finalHop, Func<MessageLedger, long> counted, CancellationToken cancel, CancellationTokenSource? stopWhenSent = null, bool keepFrames = false)
    {
        var ledger = book.Open(pool);
        progress.Phase(name, c => counted(ledger));
        long ackedBefore = _counters.Acked, countedBefore = counted(ledger);
        var window = sampler.Begin();
        var clock = Stopwatch.StartNew();
        var (sent, _) = await mix.SendAsync(ledger, length, null, cancel);
        if (stopWhenSent is not null)
        {
            await stopWhenSent.CancelAsync();
        }
        var (count, at) = await SettleAsync(() => counted(ledger) - countedBefore, sent, clock, cancel);
        var usage = window.End();
        var (acked, _) = await SettleAsync(() => _counters.Acked - ackedBefore, sent, clock, cancel);
        _errors.Add(ErrorKind.AcksMissing, sent - acked);
        if (!keepFrames)
        {
            pool.Release();
        }
        return Add(progress, new PhaseResult(name, sent, acked, ledger.Distinct, at.TotalSeconds, count / at.TotalSeconds, count / at.TotalSeconds / finalHop, usage));
    }

    private PhaseResult Add(ProgressLine progress, PhaseResult phase)
    {
        _phases.Add(phase);
        progress.Say($"{phase.Name}: {phase.Rate:N0} msg/s = {phase.OfFinalHop:P0} of the final-hop rate ({phase.Sent:N0} sent, {phase.Acked:N0} acked, {phase.Pushed:N0} pushed in {phase.Seconds:F1} s)");
        return phase;
    }

    /// <summary>Waits until <paramref name="count"/> reaches <paramref name="target"/> or stops growing for 5 s; it and when it last grew.</summary>
    private static async Task<(long Count, TimeSpan At)> SettleAsync(Func<long> count, long target, Stopwatch clock, CancellationToken cancel)
    {
        long last = -1;
        var grewAt = clock.Elapsed;
        while (true)
        {
            long now = count();
            if (now != last)
            {
                (last, grewAt) = (now, clock.Elapsed);
            }
            if (now >= target || clock.Elapsed - grewAt > Stall)
            {
                return (now, grewAt);
            }
            await Task.Delay(20, cancel);
        }
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Machine()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        return $"{Environment.ProcessorCount} cores ({model}), {RuntimeInformation.OSDescription}";
    }
}
