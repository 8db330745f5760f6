using System.ComponentModel;

namespace NymGateway.EdgeHost.Shutdown;

/// <summary>How an edge stops; config.toml's [shutdown] binds into this class (the descriptions are its comments).</summary>
public sealed class DrainOptions
{
    [Description("On SIGINT/SIGTERM, how long open connections get to store what they received and close (websockets with 1001), and the forwarder to send its queue; the host then stops regardless.")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
