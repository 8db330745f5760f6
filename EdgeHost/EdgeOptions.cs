using System.Net;
using NymGateway.EdgeHost.Shutdown;
using NymGateway.Grains;

namespace NymGateway.EdgeHost;

/// <summary>Listeners and limits of one edge host.</summary>
public sealed class EdgeOptions
{
    /// <summary>Where mix nodes connect (0.9.2 default 0.0.0.0:1789).</summary>
    public IPEndPoint MixListen { get; set; } = new(IPAddress.Any, 1789);

    /// <summary>Where clients open websockets (0.9.2 default 0.0.0.0:9000).</summary>
    public IPEndPoint ClientsListen { get; set; } = new(IPAddress.Any, 9000);

    public EdgeLimits Limits { get; set; } = new();

    /// <summary>Sizes the edge's in-memory replay filter.</summary>
    public ReplayProtection Replay { get; set; } = new();

    /// <summary>How long a connected client's inbox may go without a full re-read from the store.</summary>
    public TimeSpan InboxRedrainInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Stored messages read per page when draining an inbox.</summary>
    public int InboxPageSize { get; set; } = 256;

    /// <summary>How a stop drains the connections ([shutdown]).</summary>
    public DrainOptions Shutdown { get; set; } = new();
}
