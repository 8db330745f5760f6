namespace NymGateway.Load.Options;

/// <summary>Everything a run is told on its command line (see <see cref="LoadCommand"/>).</summary>
public sealed record LoadOptions
{
    public GatewayMode Mode { get; init; } = GatewayMode.Single;

    /// <summary>Edge processes in cluster mode (one silo behind them).</summary>
    public int Edges { get; init; } = 2;

    /// <summary>Each measured phase's length; each is preceded by an unmeasured warm-up of at most 5 s.</summary>
    public TimeSpan Phase { get; init; } = TimeSpan.FromSeconds(10);

    public int Clients { get; init; } = 32;

    /// <summary>Mix connections, spread over the edges.</summary>
    public int Connections { get; init; } = 4;

    /// <summary>Clients that register and authenticate over and over during the offline ingest phase.</summary>
    public int HandshakeClients { get; init; } = 4;

    /// <summary>Messages per second in the latency phase; null: half the live push rate measured before.</summary>
    public double? LatencyRate { get; init; }

    /// <summary>Most frames built for one phase (about 2.4 KB each); a phase whose frames are spent ends early.</summary>
    public int MaxFrames { get; init; } = 500_000;

    public string Output { get; init; } = "load-results";

    /// <summary>The PostgreSQL of cluster mode.</summary>
    public string Database { get; init; } = DefaultDatabase;

    /// <summary>The PostgreSQL that <c>bash scripts/postgres.sh</c> starts; no TLS on loopback.</summary>
    public const string DefaultDatabase = "Host=127.0.0.1;Port=25432;Database=nymgateway;Username=nymgateway;Password=nymgateway;SSL Mode=Disable";

    public TimeSpan WarmUp => Phase < TimeSpan.FromSeconds(5) ? Phase : TimeSpan.FromSeconds(5);
}

#pragma warning disable CA1720 // "single" is what the command line calls the mode
public enum GatewayMode
{
    /// <summary><c>nym-gateway run</c>: one process, SQLite.</summary>
    Single,

    /// <summary><c>nym-gateway silo</c> and <c>edge</c> processes on PostgreSQL.</summary>
    Cluster,
}
#pragma warning restore CA1720
