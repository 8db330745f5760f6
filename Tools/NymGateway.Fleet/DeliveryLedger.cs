using System.Collections.Concurrent;
using System.Diagnostics;

namespace NymGateway.Fleet;

/// <summary>
/// Counts every message of a fleet scenario by its sequence number: which edge and client it was
/// sent to and when, when its SURB-ACK reached the stand-in mix node (it was stored or delivered),
/// and how often its client received it. Times are milliseconds since the ledger was made.
/// </summary>
public sealed class DeliveryLedger
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, (int Edge, int Client, long At)> _sent = new();
    private readonly ConcurrentDictionary<int, long> _acked = new();
    private readonly ConcurrentDictionary<int, int> _received = new();
    private readonly ConcurrentDictionary<int, ConcurrentQueue<(long At, int Connection)>> _receipts = new();
    private readonly ConcurrentBag<(long Since, long At)> _crashes = [];
    private readonly ConcurrentBag<long> _gaveUp = [];
    private int _next = -1;
    private int _ackCopies;

    public long Now => _clock.ElapsedMilliseconds;

    /// <summary>A new sequence number for a message to <paramref name="client"/> through <paramref name="edge"/>.</summary>
    public int Send(int edge, int client)
    {
        int sequence = Interlocked.Increment(ref _next);
        _sent[sequence] = (edge, client, Now);
        return sequence;
    }

    public void Acked(int sequence)
    {
        if (!_acked.TryAdd(sequence, Now))
        {
            Interlocked.Increment(ref _ackCopies);
        }
    }

    /// <summary>A client received the message, on its <paramref name="connection"/>-th connection (1 for the first).</summary>
    public void Received(int sequence, int connection)
    {
        _received.AddOrUpdate(sequence, 1, (_, count) => count + 1);
        _receipts.GetOrAdd(sequence, _ => new()).Enqueue((Now, connection));
    }

    public int SentCount => _sent.Count;

    public int AckedCount => _acked.Count;

    /// <summary>Acknowledged messages no client received (yet).</summary>
    public IReadOnlyList<int> Missing => [.. _acked.Keys.Where(s => !_received.ContainsKey(s)).Order()];

    /// <summary>Messages received more than once, and how often.</summary>
    public IReadOnlyDictionary<int, int> Duplicates => _received.Where(r => r.Value > 1).ToDictionary();

    /// <summary>SURB-ACKs that reached the mix node more than once (a message stored twice forwards its ACK twice).</summary>
    public int AckCopies => Volatile.Read(ref _ackCopies);

    /// <summary>
    /// Notes that a host holding inboxes died now (kill -9), or was dying since <paramref name="since"/>
    /// (cut off or frozen until the cluster declared it dead): what it pushed but had not yet
    /// written may be pushed again.
    /// </summary>
    public void Crashed(long? since = null) => _crashes.Add((since ?? Now, Now));

    private bool NearCrash(long at, TimeSpan window) =>
        _crashes.Any(c => at >= c.Since - window.TotalMilliseconds && at <= c.At);

    /// <summary>A client connected but gave up waiting for its authentication answer (0.9.2's 1.5 s) and hung up now.</summary>
    public void GaveUp() => _gaveUp.Add(Now);

    /// <summary>
    /// Acknowledged messages no client received that the crash semantics (README) do not explain:
    /// acknowledged more than <paramref name="window"/> before any crash (a push the dead process
    /// counted as sent may still have sat in its send buffers), and not within
    /// <paramref name="window"/> after a client gave up on its authentication (the gateway pushed
    /// to the abandoned socket before it saw the close).
    /// </summary>
    public IReadOnlyList<int> UnexplainedMissing(TimeSpan window) =>
        [.. Missing.Where(s => !NearCrash(_acked[s], window)
            && !_gaveUp.Any(g => _acked[s] >= g && _acked[s] - g <= window.TotalMilliseconds))];

    /// <summary>
    /// Messages received more than once that the crash semantics do not explain: more than twice,
    /// or sent outside <paramref name="window"/> before (or during) a crash (pushed, its inbox's silo died
    /// before the push was written down, and the edge's retry reached a new activation).
    /// </summary>
    public IReadOnlyList<int> UnexplainedDuplicates(TimeSpan window) =>
        [.. Duplicates.Where(d => d.Value > 2 || !NearCrash(_sent[d.Key].At, window)).Select(d => d.Key).Order()];

    /// <summary>Received messages that were never sent: a corrupted sequence number.</summary>
    public int Unknown => _received.Keys.Count(s => !_sent.ContainsKey(s));

    /// <summary>
    /// How long after <paramref name="from"/> every path (edge, client) through <paramref name="edges"/>
    /// had a message stored again (its SURB-ACK arrived); null when some path had none since.
    /// </summary>
    public long? RecoveryAfter(long from, params int[] edges)
    {
        var firsts = AckTimesByPath(edges).Select(times => times.FirstOrDefault(t => t >= from, -1)).ToList();
        return firsts.Count > 0 && firsts.All(t => t >= 0) ? firsts.Max() - from : null;
    }

    /// <summary>The longest time any path (edge, client) through <paramref name="edges"/> went without a stored message.</summary>
    public long LongestStall(params int[] edges) =>
        AckTimesByPath(edges).Where(t => t.Count > 1).Select(t => t.Zip(t.Skip(1), (a, b) => b - a).Max()).DefaultIfEmpty(0).Max();

    /// <summary>
    /// The longest time any path (edge, client) through <paramref name="edges"/> went without a
    /// stored message once it stored again after <paramref name="from"/>: a path that recovered
    /// and stalled again shows here, not in <see cref="RecoveryAfter"/>.
    /// </summary>
    public long LongestStallAfter(long from, params int[] edges) =>
        AckTimesByPath(edges).Select(t => t.Where(a => a >= from).ToList()).Where(t => t.Count > 1)
            .Select(t => t.Zip(t.Skip(1), (a, b) => b - a).Max()).DefaultIfEmpty(0).Max();

    private IEnumerable<List<long>> AckTimesByPath(int[] edges) =>
        _acked.Select(a => (Path: (_sent[a.Key].Edge, _sent[a.Key].Client), At: a.Value))
            .Where(a => edges.Contains(a.Path.Edge))
            .GroupBy(a => a.Path, a => a.At)
            .Select(g => g.Order().ToList());

    /// <summary>Where and when the acknowledged messages no client received were sent and acknowledged; empty when none.</summary>
    public string MissingReport()
    {
        var missing = Missing;
        if (missing.Count == 0)
        {
            return "";
        }
        var sent = missing.Select(s => _sent[s]).ToList();
        var acked = missing.Select(s => _acked[s]).ToList();
        return $"missing sequence numbers {missing[0]}..{missing[^1]}, sent between {sent.Min(s => s.At) / 1000.0:F1} s and {sent.Max(s => s.At) / 1000.0:F1} s, " +
            $"acknowledged between {acked.Min() / 1000.0:F1} s and {acked.Max() / 1000.0:F1} s, through edges {string.Join(',', sent.Select(s => s.Edge + 1).Distinct().Order())}, " +
            $"to clients {string.Join(',', sent.Select(s => s.Client + 1).Distinct().Order())}";
    }

    /// <summary>Where and when each of <paramref name="sequences"/> was sent, acknowledged and received (with the client's connection); empty when none.</summary>
    public string Report(IEnumerable<int> sequences) => string.Join("; ", sequences.Select(s =>
    {
        var sent = _sent.TryGetValue(s, out var x) ? $"client {x.Client + 1} via edge {x.Edge + 1}, sent {x.At / 1000.0:F2} s" : "never sent";
        var acked = _acked.TryGetValue(s, out var a) ? $"acknowledged {a / 1000.0:F2} s" : "not acknowledged";
        var received = _receipts.TryGetValue(s, out var r) ? string.Join(", ", r.Select(e => $"{e.At / 1000.0:F2} s (connection {e.Connection})")) : "none";
        return $"#{s}: {sent}, {acked}, received {received}";
    }));

    public string Summary() =>
        $"sent {SentCount}, acknowledged {AckedCount}, received {_received.Count} distinct; acknowledged but not received {Missing.Count}, " +
        $"received twice or more {Duplicates.Count}, SURB-ACK copies {AckCopies}, unknown {Unknown}; longest a path went without a stored message {LongestStall([.. _sent.Values.Select(v => v.Edge).Distinct()])} ms";
}
