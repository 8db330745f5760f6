using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Nym.Forwarding;

namespace NymGateway.EdgeHost.Forwarding;

/// <summary>
/// Sends mix packets (clients' ForwardSphinx requests and SURB-ACKs) to their next hop over
/// one pooled TCP connection per hop, framed as 0.9.2 frames them. Each hop has a bounded
/// queue; a full one makes the sender wait (up to <see cref="ForwarderOptions.MaximumForwardWait"/>),
/// so a busy hop slows the mix connection or client feeding it instead of losing their packets.
/// Packets are dropped (counted by <see cref="ForwardDropReason"/>, logged throttled) only when
/// the hop cannot be reached, stays full past the wait, or would exceed the hop cap. Hops that
/// got nothing for <see cref="ForwarderOptions.NextHopIdleTimeout"/> close and go away.
/// </summary>
public sealed partial class MixPacketForwarder : IAsyncDisposable
{
    private readonly ForwarderOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPEndPoint, Hop> _hops = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly LogThrottle[] _dropLogs;
    private int _hopCount;
    private volatile bool _closed;

    public MixPacketForwarder(IOptions<ForwarderOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<MixPacketForwarder> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _dropLogs = [.. Enum.GetValues<ForwardDropReason>().Select(reason => new LogThrottle(logger, $"Packets dropped by the forwarder ({reason})", time))];
        metrics.ObserveForwarder(() => Queued, () => Volatile.Read(ref _hopCount));
    }

    /// <summary>Packets waiting in the hops' queues.</summary>
    private int Queued => _hops.Values.Sum(hop => hop.Queued);

    /// <summary>
    /// Queues the packet for its next hop, waiting for room when that hop's queue is full;
    /// false when it was dropped. Completes at once (no allocation) while there is room.
    /// </summary>
    public ValueTask<bool> ForwardAsync(MixPacket packet, CancellationToken cancellationToken = default)
    {
        var hop = FindHop(packet.NextHop.EndPoint);
        return hop is not null && hop.TryWrite(packet) ? new ValueTask<bool>(true) : WaitForRoomAsync(packet, hop, cancellationToken);
    }

    private async ValueTask<bool> WaitForRoomAsync(MixPacket packet, Hop? hop, CancellationToken cancellationToken)
    {
        var endPoint = packet.NextHop.EndPoint;
        while (true)
        {
            if (_closed)
            {
                return Drop(endPoint, 1, ForwardDropReason.Stopping);
            }
            if (hop is null)
            {
                return Drop(endPoint, 1, ForwardDropReason.HopLimit);
            }
            switch (await hop.WriteAsync(packet, _options.MaximumForwardWait, cancellationToken))
            {
                case HopWrite.Written:
                    return true;
                case HopWrite.TimedOut:
                    return Drop(endPoint, 1, ForwardDropReason.QueueFull);
                case HopWrite.Unreachable:
                    return Drop(endPoint, 1, ForwardDropReason.HopUnreachable);
                default:
                    hop = FindHop(endPoint); // it retired meanwhile: the packet goes to its successor
                    break;
            }
        }
    }

    /// <summary>The live hop for <paramref name="endPoint"/>, started on first use; null past the hop cap or after the flush.</summary>
    private Hop? FindHop(IPEndPoint endPoint)
    {
        while (!_closed)
        {
            if (_hops.TryGetValue(endPoint, out var hop))
            {
                return hop;
            }
            if (Interlocked.Increment(ref _hopCount) > _options.MaximumNextHops)
            {
                Interlocked.Decrement(ref _hopCount);
                return null;
            }
            var created = new Hop(endPoint, this);
            if (_hops.TryAdd(endPoint, created))
            {
                created.Start();
                return created;
            }
            created.Discard(); // another caller made this hop first
            Interlocked.Decrement(ref _hopCount);
        }
        return null;
    }

    /// <summary>Counts and logs (throttled, with the number of packets) one drop; returns false, the forward's outcome.</summary>
    private bool Drop(IPEndPoint hop, int count, ForwardDropReason reason)
    {
        if (count == 0)
        {
            return false;
        }
        _metrics.ForwardDropped.Add(count, GatewayMetrics.Tag(reason));
        if (_dropLogs[(int)reason].TryEnter(count))
        {
            _logger.PacketsDropped(count, hop, reason);
        }
        return false;
    }

    /// <summary>
    /// Sends what the hops still have queued, within <paramref name="timeout"/> (a graceful stop);
    /// returns how many packets were left unsent. Nothing is queued afterwards.
    /// </summary>
    public async Task<int> FlushAsync(TimeSpan timeout)
    {
        var hops = CloseHops();
        await Task.WhenAll(hops.Select(h => h.Worker)).WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        int unsent = hops.Sum(hop => hop.Queued);
        await _stopping.CancelAsync();
        return unsent;
    }

    public async ValueTask DisposeAsync()
    {
        var hops = CloseHops();
        await _stopping.CancelAsync();
        await Task.WhenAll(hops.Select(h => h.Worker));
        _stopping.Dispose();
    }

    /// <summary>Takes no new packet and lets each hop's worker end once its queue is empty; returns the hops.</summary>
    private List<Hop> CloseHops()
    {
        _closed = true;
        var hops = _hops.Values.ToList();
        foreach (var hop in hops)
        {
            hop.Complete();
        }
        return hops;
    }

    /// <summary>
    /// 0.9.2's exponential backoff, jittered to 75–100 % so edges that lost the same hop do not
    /// reconnect in lock-step (kept by hand: the hop's loop also waits for work and resets on success).
    /// </summary>
    private TimeSpan Backoff(int failures)
    {
        var o = _options;
        double ms = o.PacketForwardingInitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 30));
        double capped = Math.Min(ms, o.PacketForwardingMaximumBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.75 + 0.25 * Random.Shared.NextDouble()));
    }
}
