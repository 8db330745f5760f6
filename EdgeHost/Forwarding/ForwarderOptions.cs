using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace NymGateway.EdgeHost.Forwarding;

/// <summary>The mix packet forwarder's settings: 0.9.2's [debug] keys and defaults (config.toml's [debug] section derives from this class).</summary>
public class ForwarderOptions
{
    [Description("Initial value of an exponential backoff to reconnect to dropped TCP connection when\nforwarding sphinx packets.")]
    public TimeSpan PacketForwardingInitialBackoff { get; set; } = TimeSpan.FromSeconds(10);

    [Description("Maximum value of an exponential backoff to reconnect to dropped TCP connection when\nforwarding sphinx packets.")]
    public TimeSpan PacketForwardingMaximumBackoff { get; set; } = TimeSpan.FromSeconds(300);

    [Description("Timeout for establishing initial connection when trying to forward a sphinx packet.")]
    public TimeSpan InitialConnectionTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Packets queued per next hop; more are dropped with a log line.</summary>
    [Description("Maximum number of packets that can be stored waiting to get sent to a particular connection.")]
    [Range(1, int.MaxValue)]
    public int MaximumConnectionBufferSize { get; set; } = 32;
}
