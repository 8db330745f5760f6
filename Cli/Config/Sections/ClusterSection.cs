using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[cluster] (ours): the Orleans cluster of the gateway's silos and edges.</summary>
public sealed class ClusterSection
{
    [Description("Orleans cluster id shared by every silo and edge of this gateway.")]
    public string ClusterId { get; set; } = "nym-gateway";

    [Description("Orleans silo-to-silo port.")]
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Description("Orleans gateway port (edges connect to silos on it).")]
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    [Description("Timer of the inbox stream's queue readers. Arrivals wake them at once; this only sets how soon a reader resumes after an idle second.")]
    public TimeSpan StreamPollPeriod { get; set; } = TimeSpan.FromMilliseconds(10);

    [Description("Queues of the inbox stream.")]
    [Range(1, 1024)]
    public int StreamQueueCount { get; set; } = 4;

    [Description("A connected client's inbox is re-read from the database at least this often, so a lost notification only delays.")]
    public TimeSpan InboxRedrainInterval { get; set; } = TimeSpan.FromSeconds(10);
}
