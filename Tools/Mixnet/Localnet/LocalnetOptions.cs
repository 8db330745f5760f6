namespace NymGateway.Mixnet.Localnet;

/// <summary>What `nym-localnet up` starts and where.</summary>
public sealed record LocalnetOptions
{
    public const int PortCount = 6;

    /// <summary>$HOME of the gateway processes and home of the clients' keys and the topology file; emptied at start.</summary>
    public required string Directory { get; init; }

    /// <summary>How to start nym-gateway: the program and its first arguments (e.g. dotnet and nym-gateway.dll).</summary>
    public required IReadOnlyList<string> GatewayCommand { get; init; }

    /// <summary>The gateway's mix and clients ports, its Orleans silo and gateway ports, and the second edge's mix and clients ports.</summary>
    public required IReadOnlyList<int> Ports { get; init; }

    /// <summary>A PostgreSQL connection string: a silo and two edges on it. Null: one `run` process on SQLite.</summary>
    public string? ClusterDatabase { get; init; }

    /// <summary>The longest any mix node holds a packet.</summary>
    public TimeSpan MaxDelay { get; init; } = MixNodeOptions.DefaultMaxDelay;

    /// <summary>ACK packets the layer-1 mix node drops first (to show the sender's retransmission).</summary>
    public int DropAckPackets { get; init; }

    public MixnetClientOptions Client { get; init; } = new();

    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(90);
}
