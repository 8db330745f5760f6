using NymGateway.Grains;

namespace NymGateway.EdgeHost.Clients;

/// <summary>What the inbox pump's loop reads, in the order things happened.</summary>
internal abstract record PumpSignal
{
    /// <summary>Re-read the stored inbox: on start, a subscription, a cluster change, a lost notification, the timer.</summary>
    public static readonly PumpSignal Drain = new DrainSignal();

    /// <summary>Subscribe again: the cluster may have dropped this edge's subscription while it was cut off.</summary>
    public static readonly PumpSignal Resubscribe = new ResubscribeSignal();

    public sealed record DrainSignal : PumpSignal;

    public sealed record ResubscribeSignal : PumpSignal;

    /// <summary>A notification from the inbox stream.</summary>
    public sealed record Event(InboxEvent Value) : PumpSignal;

    /// <summary>A subscription attempt succeeded; the loop adopts it (and drops the one it replaces).</summary>
    public sealed record Subscribed(IAsyncDisposable Subscription) : PumpSignal;
}
