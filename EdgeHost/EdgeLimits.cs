using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace NymGateway.EdgeHost;

/// <summary>What one peer, and all of them together, may hold of an edge; config.toml's [limits] binds into this class (the descriptions are its comments).</summary>
public sealed class EdgeLimits
{
    [Description("Open mix connections allowed from one IP address.")]
    [Range(1, int.MaxValue)]
    public int MaxMixConnectionsPerIp { get; set; } = 64;

    [Description("Open mix connections allowed in total; further ones are closed at once.")]
    [Range(1, int.MaxValue)]
    public int MaxMixConnections { get; set; } = 4096;

    /// <summary>Generous: 0.9.2 mix nodes keep their connection to a gateway open between packets.</summary>
    [Description("A mix connection that sent nothing for this long is closed.")]
    public TimeSpan MixConnectionIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    [Description("Open TCP connections to the clients port allowed from one IP address (counted from the connect, before the websocket upgrade).")]
    [Range(1, int.MaxValue)]
    public int MaxClientConnectionsPerIp { get; set; } = 256;

    [Description("Open TCP connections to the clients port allowed in total.")]
    [Range(1, int.MaxValue)]
    public int MaxClientConnections { get; set; } = 16384;

    [Description("Time a new connection to the clients port has to send its websocket upgrade request.")]
    public TimeSpan ClientUpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Description("Largest websocket message accepted from a client, in bytes (a ForwardSphinx of an extended packet is 33185).")]
    [Range(1024, int.MaxValue)]
    public int MaxClientMessageBytes { get; set; } = 64 * 1024;

    [Description("Time a client has to authenticate or register.")]
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    [Description("ForwardSphinx requests one client may have forwarded per client_quota_interval; further ones are\nrefused with an error response (not forwarded) until the next interval.")]
    [Range(1, int.MaxValue)]
    public int MaxClientPacketsPerInterval { get; set; } = 1000;

    [Description("Bytes of ForwardSphinx requests one client may have forwarded per client_quota_interval (refused as above).")]
    [Range(1024, int.MaxValue)]
    public int MaxClientBytesPerInterval { get; set; } = 4 * 1024 * 1024;

    [Description("The interval of the per-client send quotas.")]
    public TimeSpan ClientQuotaInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The GC otherwise keeps what it committed for the peak (measured: 985 MiB held after all of 19,000 clients left).</summary>
    [Description("After this many client connections closed since the most were open (a disconnect storm), once their\ncount stops falling, one compacting GC returns the free memory to the system.")]
    [Range(1, int.MaxValue)]
    public int MemoryTrimAfterDisconnects { get; set; } = 2000;

    [Description("Frames of one mix connection unwrapped and committed together.")]
    [Range(1, int.MaxValue)]
    public int MaxFramesPerBatch { get; set; } = 256;

    [Description("Batches of one mix connection under way at once: the next ones are read and unwrapped while the one before is\ndelivered (in order; each batch's SURB-ACKs still wait for its messages to be delivered or durable).")]
    [Range(1, 64)]
    public int MaxBatchesInFlight { get; set; } = 4;
}
