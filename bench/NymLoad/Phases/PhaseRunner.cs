using System.Diagnostics;
using NymGateway.Load.Measure;
using NymGateway.Load.Report;
using NymGateway.Load.Traffic;

namespace NymGateway.Load.Phases;

/// <summary>
/// Runs phases the same way: the progress line names it, each process's CPU and memory are
/// sampled over it, and its count over its time becomes a rate and a ratio of the final-hop rate.
/// </summary>
public sealed class PhaseRunner(RunCounters counters, ErrorCounts errors, MixLoad mix, ProcessSampler sampler, ProgressLine progress)
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(5);
    private readonly List<PhaseResult> _results = [];

    /// <summary>The denominator of every ratio, once measured.</summary>
    public double FinalHop { get; set; } = double.NaN;

    public IReadOnlyList<PhaseResult> Results => _results;

    /// <summary>A phase that does its work and says what it sent, acked and pushed, and which count over how long is its rate.</summary>
    public async Task<PhaseResult> RunAsync(string name, Func<RunCounters, long> shown, Func<Task<(long Sent, long Acked, long Pushed, long Counted, TimeSpan Took)>> work, Func<bool>? ranOut = null)
    {
        progress.Phase(name, shown);
        var window = sampler.Begin();
        var (sent, acked, pushed, counted, took) = await work();
        double rate = counted / took.TotalSeconds;
        var phase = new PhaseResult(name, sent, acked, pushed, took.TotalSeconds, rate, double.IsNaN(FinalHop) ? 1 : rate / FinalHop, window.End(), ranOut?.Invoke() ?? false);
        _results.Add(phase);
        progress.Say($"{name}: {rate:N0} msg/s{(phase.FramesRanOut ? " (its frames ran out)" : "")} = {phase.OfFinalHop * 100:F0} % of the final-hop rate ({sent:N0} sent, {acked:N0} acked, {pushed:N0} pushed in {took.TotalSeconds:F1} s)");
        return phase;
    }

    /// <summary>
    /// Sends a pool as fast as the gateway takes it (or at <paramref name="rate"/>) and waits until what
    /// the phase counts (SURB-ACKs, or distinct pushes of this pool) reached what was sent or stopped
    /// growing; the rate is that count over the time until it last grew. The pool's frames go after.
    /// </summary>
    public Task<PhaseResult> SendAsync(string name, MessageLedger ledger, TimeSpan length, Func<MessageLedger, long> counted, CancellationToken cancel,
        double? rate = null, CancellationTokenSource? stopWhenSent = null, bool keepFrames = false) =>
        RunAsync(name, _ => counted(ledger), async () =>
        {
            long ackedBefore = counters.Acked;
            var clock = Stopwatch.StartNew();
            var (sent, _) = await mix.SendAsync(ledger, length, rate, cancel);
            if (stopWhenSent is not null)
            {
                await stopWhenSent.CancelAsync();
            }
            var (count, at) = await SettleAsync(() => counted(ledger), sent, clock, cancel);
            var (acked, _) = await SettleAsync(() => counters.Acked - ackedBefore, sent, clock, cancel);
            errors.Add(ErrorKind.AcksMissing, sent - acked);
            if (!keepFrames)
            {
                ledger.Pool.Release();
            }
            return (sent, acked, ledger.Distinct, count, at);
        }, () => ledger.Pool.Taken == ledger.Pool.Count && rate is null);

    /// <summary>Waits until <paramref name="count"/> reaches <paramref name="target"/> or stops growing for 5 s; it and when it last grew.</summary>
    public static async Task<(long Count, TimeSpan At)> SettleAsync(Func<long> count, long target, Stopwatch clock, CancellationToken cancel)
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
}
