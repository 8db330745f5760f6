using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace NymGateway.EdgeHost;

/// <summary>What one peer may hold of an edge; config.toml's [limits] binds into this class (the descriptions are its comments).</summary>
public sealed class EdgeLimits
{
    [Description("Open mix connections allowed from one IP address.")]
    [Range(1, int.MaxValue)]
    public int MaxMixConnectionsPerIp { get; set; } = 64;

    [Description("Open client websockets allowed from one IP address.")]
    [Range(1, int.MaxValue)]
    public int MaxClientConnectionsPerIp { get; set; } = 256;

    [Description("Largest websocket message accepted from a client, in bytes (a ForwardSphinx of an extended packet is 33185).")]
    [Range(1024, int.MaxValue)]
    public int MaxClientMessageBytes { get; set; } = 64 * 1024;

    [Description("Time a client has to authenticate or register.")]
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    [Description("Frames of one mix connection unwrapped and committed together.")]
    [Range(1, int.MaxValue)]
    public int MaxFramesPerBatch { get; set; } = 256;
}
