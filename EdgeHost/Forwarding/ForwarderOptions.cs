namespace NymGateway.EdgeHost.Forwarding;

/// <summary>The mix packet forwarder's settings; the defaults are 0.9.2's.</summary>
public sealed class ForwarderOptions
{
    public TimeSpan InitialReconnectionBackoff { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaximumReconnectionBackoff { get; set; } = TimeSpan.FromSeconds(300);
    public TimeSpan InitialConnectionTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Packets queued per next hop; more are dropped with a log line.</summary>
    public int MaximumConnectionBufferSize { get; set; } = 32;
}
