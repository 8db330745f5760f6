using System.Collections.Concurrent;
using System.Diagnostics;

namespace NymGateway.Load.Traffic;

/// <summary>
/// What became of each message of one <see cref="FramePool"/>: when it was sent (for the latency
/// phase) and how often it was pushed, so missing and duplicated pushes are counted exactly.
/// </summary>
public sealed class MessageLedger(FramePool pool, bool timed)
{
    private readonly int[] _pushes = new int[pool.Count];
    private readonly long[] _sentAt = timed ? new long[pool.Count] : [];
    private readonly ConcurrentQueue<LatencySample> _latencies = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _distinct;
    private long _duplicates;

    public FramePool Pool => pool;

    public long Distinct => Interlocked.Read(ref _distinct);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Push latencies (timed ledgers only), by when the message was sent.</summary>
    public IReadOnlyCollection<LatencySample> Latencies => _latencies;

    public bool Holds(long number) => number >= pool.FirstNumber && number < pool.FirstNumber + pool.Count;

    public void MarkSent(int index)
    {
        if (timed)
        {
            Volatile.Write(ref _sentAt[index], Stopwatch.GetTimestamp());
        }
    }

    public void MarkPushed(long number)
    {
        int index = (int)(number - pool.FirstNumber);
        if (Interlocked.Increment(ref _pushes[index]) > 1)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }
        Interlocked.Increment(ref _distinct);
        if (timed && Volatile.Read(ref _sentAt[index]) is var sentAt and > 0)
        {
            _latencies.Enqueue(new LatencySample(Stopwatch.GetElapsedTime(_start, sentAt).TotalSeconds, Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds));
        }
    }
}

/// <summary>A message sent <paramref name="SentAtSeconds"/> into its phase was pushed after <paramref name="Milliseconds"/>.</summary>
public sealed record LatencySample(double SentAtSeconds, double Milliseconds);
