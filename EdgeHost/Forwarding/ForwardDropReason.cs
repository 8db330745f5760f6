namespace NymGateway.EdgeHost.Forwarding;

/// <summary>Why the forwarder dropped packets; the metric's <c>reason</c> tag.</summary>
public enum ForwardDropReason
{
    /// <summary>The hop's queue stayed full for longer than <see cref="ForwarderOptions.MaximumForwardWait"/>.</summary>
    QueueFull,

    /// <summary>The connection to the hop failed, or cannot be made, while the packets waited for it.</summary>
    HopUnreachable,

    /// <summary>A new hop beyond <see cref="ForwarderOptions.MaximumNextHops"/>.</summary>
    HopLimit,

    /// <summary>Forwarded after the graceful stop's flush.</summary>
    Stopping,
}
