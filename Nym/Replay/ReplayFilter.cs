namespace NymGateway.Nym.Replay;

/// <summary>
/// A node's fast path against replays: the tags it saw in the current and the previous window,
/// in two Bloom filters that swap roles every window, so a tag is remembered for one to two
/// windows. In the gateway the cluster's store is the authority (other edges, restarts); this
/// filter spares it the copies that come back to the same edge, and orders copies within a batch.
/// </summary>
public sealed class ReplayFilter
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly Lock _rotation = new();
    private Generations _generations;
    private long _started;

    /// <param name="itemsPerWindow">Tags one window is sized for.</param>
    /// <param name="falsePositiveRate">The chance that a fresh tag looks seen, once a window holds <paramref name="itemsPerWindow"/>.</param>
    public ReplayFilter(long itemsPerWindow, double falsePositiveRate, TimeSpan window, TimeProvider time)
    {
        _time = time;
        _window = window;
        _generations = new Generations(new BloomFilter(itemsPerWindow, falsePositiveRate), new BloomFilter(itemsPerWindow, falsePositiveRate));
        _started = time.GetTimestamp();
    }

    /// <summary>Both generations' memory.</summary>
    public long SizeInBytes => 2 * _generations.Current.SizeInBytes;

    /// <summary>Records the tag; false when it was seen within the last one to two windows (a replay, or a false positive).</summary>
    public bool TryAdd(ReadOnlySpan<byte> tag)
    {
        if (_time.GetElapsedTime(Volatile.Read(ref _started)) >= _window)
        {
            Rotate();
        }
        var generations = Volatile.Read(ref _generations);
        return !generations.Previous.Contains(tag) && generations.Current.Add(tag);
    }

    private void Rotate()
    {
        lock (_rotation)
        {
            long now = _time.GetTimestamp();
            if (_time.GetElapsedTime(_started, now) < _window)
            {
                return;
            }
            var old = _generations;
            // A check racing the clear may miss a tag of the expiring window; the store still has it.
            old.Previous.Clear();
            Volatile.Write(ref _generations, new Generations(old.Previous, old.Current));
            Volatile.Write(ref _started, now);
        }
    }

    private sealed record Generations(BloomFilter Current, BloomFilter Previous);
}
