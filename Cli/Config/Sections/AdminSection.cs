using System.ComponentModel;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[admin] (ours): the edge's /health and /metrics endpoint.</summary>
public sealed class AdminSection
{
    [Description("ip:port for /health and /metrics (Prometheus, meter NymGateway.Edge), e.g. '127.0.0.1:9100'; empty turns it off.")]
    public string ListeningAddress { get; set; } = "";
}
