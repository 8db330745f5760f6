using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace NymGateway.EdgeHost.Forwarding;

/// <summary>The mix packet forwarder's settings: 0.9.2's [debug] keys and defaults, and our bounds (config.toml's [debug] section derives from this class).</summary>
public class ForwarderOptions
{
    [Description("Initial value of an exponential backoff to reconnect to dropped TCP connection when\nforwarding sphinx packets.")]
    public TimeSpan PacketForwardingInitialBackoff { get; set; } = TimeSpan.FromSeconds(10);

    [Description("Maximum value of an exponential backoff to reconnect to dropped TCP connection when\nforwarding sphinx packets.")]
    public TimeSpan PacketForwardingMaximumBackoff { get; set; } = TimeSpan.FromSeconds(300);

    [Description("Timeout for establishing initial connection when trying to forward a sphinx packet.")]
    public TimeSpan InitialConnectionTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>0.9.2 had 32; an ingest batch alone forwards up to 256 SURB-ACKs, so today's Nym (nym-node) raised it to 2,000.</summary>
    [Description("Maximum number of packets that can be stored waiting to get sent to a particular connection.")]
    [Range(1, int.MaxValue)]
    public int MaximumConnectionBufferSize { get; set; } = 2000;

    [Description("How long a packet waits for room in a full next-hop queue before it is dropped; the mix connection\nor client that sent it waits meanwhile (back-pressure). (NymGateway.Orleans)")]
    public TimeSpan MaximumForwardWait { get; set; } = TimeSpan.FromSeconds(2);

    [Description("Next hops with a connection and queue at once; packets for further hops are dropped. (NymGateway.Orleans)")]
    [Range(1, int.MaxValue)]
    public int MaximumNextHops { get; set; } = 1024;

    [Description("A next hop that got no packet for this long closes its connection and frees its queue. (NymGateway.Orleans)")]
    public TimeSpan NextHopIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
