using System.Collections.Concurrent;

namespace NymGateway.EdgeHost;

/// <summary>
/// What this edge learns about its connection to the silo cluster, for the inbox pumps.
/// </summary>
/// <remarks>
/// Every connected client's pump subscribes to both events, so they are sets rather than multicast
/// delegates: adding or removing one of 20,000 handlers of a delegate copies all of them (a 160 KB
/// array on the large object heap, for every connect and every disconnect). A handler added twice runs once.
/// </remarks>
public sealed class ClusterChangeSignal : IClusterConnectionStatusObserver
{
    private readonly ConcurrentDictionary<Action, byte> _changed = new();
    private readonly ConcurrentDictionary<Action, byte> _reconnected = new();

    /// <summary>
    /// The set of silos this edge reaches changed (a silo joined or died) or the connection was
    /// lost: a stream notification may have died with a silo, so inboxes are re-read.
    /// </summary>
    public event Action Changed
    {
        add => _changed.TryAdd(value, 0);
        remove => _changed.TryRemove(value, out _);
    }

    /// <summary>
    /// The connection came back after it was lost. Silos that gave up on this edge meanwhile
    /// removed its stream subscriptions, so the pumps subscribe again.
    /// </summary>
    public event Action Reconnected
    {
        add => _reconnected.TryAdd(value, 0);
        remove => _reconnected.TryRemove(value, out _);
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        Raise(_changed);
        if (connectionRecovered)
        {
            Raise(_reconnected);
        }
    }

    public void NotifyClusterConnectionLost() => Raise(_changed);

    private static void Raise(ConcurrentDictionary<Action, byte> handlers)
    {
        foreach (var handler in handlers.Keys)
        {
            handler();
        }
    }
}
