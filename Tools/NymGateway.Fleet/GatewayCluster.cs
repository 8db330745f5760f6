using System.Net;
using NymGateway.Nym.Keys;

namespace NymGateway.Fleet;

/// <summary>
/// A clustered gateway on a <see cref="FleetNetwork"/>, laid out as the README's several-machine
/// recipe: PostgreSQL on 10.0.0.5, silos on 10.0.0.11 and up, edges on 10.0.0.21 and up, a
/// round-robin balancer for the clients port on 10.0.0.20 (the announced address), a client host
/// (10.0.0.31) and a mix host (10.0.0.41). Silos and edges can be stopped, killed and started again
/// one by one; every host's output goes to the fleet's output when the cluster is disposed.
/// </summary>
public sealed class GatewayCluster : IAsyncDisposable
{
    public const int MixPort = 1789;
    public const int ClientsPort = 9000;
    private const string Id = "gw";
    private const string Password = "nymgateway"; // the one scripts/postgres.sh gives the role
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);
    private static readonly IReadOnlyDictionary<string, string?> Database = new Dictionary<string, string?>
    {
        ["NYM_GATEWAY_DATABASE"] = $"Host=10.0.0.5;Database=nymgateway;Username=nymgateway;Password={Password}",
    };

    private readonly FleetNetwork _network;
    private readonly GatewayProcess?[] _silos;
    private readonly GatewayProcess?[] _edges;
    private TcpRelay? _clientsBalancer;

    private GatewayCluster(FleetNetwork network, FleetHost db, FleetHost[] silos, FleetHost[] edges, FleetHost balancer, FleetHost client, FleetHost mix)
    {
        _network = network;
        Db = db;
        SiloHosts = silos;
        EdgeHosts = edges;
        Balancer = balancer;
        ClientHost = client;
        MixHost = mix;
        _silos = new GatewayProcess?[silos.Length];
        _edges = new GatewayProcess?[edges.Length];
    }

    /// <summary>The fleet the hosts live on, for more hosts a scenario needs.</summary>
    public FleetNetwork Network => _network;

    public FleetHost Db { get; }
    public IReadOnlyList<FleetHost> SiloHosts { get; }
    public IReadOnlyList<FleetHost> EdgeHosts { get; }
    public FleetHost Balancer { get; }
    public FleetHost ClientHost { get; }
    public FleetHost MixHost { get; }
    public IdentityPublicKey Identity { get; private set; } = null!;
    public byte[] SphinxKey { get; private set; } = [];

    /// <summary>The announced clients address: the balancer in front of every edge.</summary>
    public Uri ClientsUri => new($"ws://{Balancer.Address}:{ClientsPort}/");

    public IReadOnlyList<IPEndPoint> EdgeMixPorts => [.. EdgeHosts.Select(e => new IPEndPoint(e.Address, MixPort))];

    public GatewayProcess Silo(int index) => _silos[index] ?? throw new InvalidOperationException($"silo {index + 1} was never started");

    public GatewayProcess Edge(int index) => _edges[index] ?? throw new InvalidOperationException($"edge {index + 1} was never started");

    /// <summary>
    /// Creates a fleet and its hosts, starts PostgreSQL (with <c>scripts/postgres.sh</c> of
    /// <paramref name="repository"/>) while init runs, then every silo and edge at once.
    /// </summary>
    /// <param name="output">Where every host's output goes when the cluster is disposed.</param>
    public static async Task<GatewayCluster> StartAsync(Action<string> output, string repository, int silos, int edges)
    {
        var network = await FleetNetwork.CreateAsync(output);
        try
        {
            return await StartAsync(network, repository, silos, edges);
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    private static async Task<GatewayCluster> StartAsync(FleetNetwork network, string repository, int silos, int edges)
    {
        var db = await network.AddHostAsync("db", "10.0.0.5");
        var siloHosts = new FleetHost[silos];
        for (int i = 0; i < silos; i++)
        {
            siloHosts[i] = await network.AddHostAsync($"silo{i + 1}", $"10.0.0.{11 + i}");
        }
        var edgeHosts = new FleetHost[edges];
        for (int i = 0; i < edges; i++)
        {
            edgeHosts[i] = await network.AddHostAsync($"edge{i + 1}", $"10.0.0.{21 + i}");
        }
        var cluster = new GatewayCluster(network, db, siloHosts, edgeHosts,
            await network.AddHostAsync("lb", "10.0.0.20"), await network.AddHostAsync("client", "10.0.0.31"), await network.AddHostAsync("mix", "10.0.0.41"));
        await cluster.InitAsync(repository);
        // All at once: an edge retries until the silos are up, and starting is most of a scenario's time.
        await Task.WhenAll([.. Enumerable.Range(0, silos).Select(cluster.StartSiloAsync), .. Enumerable.Range(0, edges).Select(cluster.StartEdgeAsync)]);
        cluster._clientsBalancer = TcpRelay.Start(cluster.Balancer, ClientsPort, [.. edgeHosts.Select(e => new IPEndPoint(e.Address, ClientsPort))]);
        return cluster;
    }

    private async Task InitAsync(string repository)
    {
        var postgres = Db.ExecAsync(new Dictionary<string, string?>
        {
            ["NYM_PG_LISTEN"] = Db.Address.ToString(),
            ["NYM_PG_ALLOW"] = FleetNetwork.Network,
            ["NYM_PG_PORT"] = "5432",
            ["NYM_PG_DATA"] = Path.Combine(Db.Home, "pg"),
        }, "bash", Path.Combine(repository, "scripts", "postgres.sh"));
        var first = SiloHosts[0];
        await first.ExecAsync(new Dictionary<string, string?>(), FleetHost.NymGateway(
            "init", "--id", Id, "--mix-host", "0.0.0.0", "--clients-host", "0.0.0.0",
            "--mix-announce-host", Balancer.Address.ToString(), "--clients-announce-host", Balancer.Address.ToString(), "--cluster-id", Id));
        var folder = Path.Combine(".nym", "gateways", Id);
        foreach (var host in SiloHosts.Skip(1).Concat(EdgeHosts))
        {
            Directory.CreateDirectory(Path.Combine(host.Home, ".nym", "gateways"));
            await FleetNetwork.RunCheckedAsync("cp", "-a", Path.Combine(first.Home, folder), Path.Combine(host.Home, folder));
        }
        var keys = new GatewayFolder(first.Home, Id);
        Identity = keys.Identity;
        SphinxKey = keys.SphinxKey;
        await postgres;
    }

    /// <summary>Starts silo <paramref name="index"/> (from 0) and waits until it is ready.</summary>
    public async Task StartSiloAsync(int index)
    {
        var host = SiloHosts[index];
        _silos[index] = host.Start(Database, FleetHost.NymGateway("silo", "--id", Id, "--advertise", host.Address.ToString()));
        await _silos[index]!.WaitForAsync("Silo ready", Startup);
    }

    /// <summary>Starts edge <paramref name="index"/> (from 0) and waits until it reached the cluster and listens.</summary>
    public async Task StartEdgeAsync(int index)
    {
        _edges[index] = EdgeHosts[index].Start(Database, FleetHost.NymGateway("edge", "--id", Id));
        await _edges[index]!.WaitForAsync("Finished nym gateway startup procedure", Startup);
    }

    /// <summary>Runs SQL in the gateway's database (psql on the db host); returns what it printed, unaligned, tuples only.</summary>
    public Task<string> SqlAsync(string sql) =>
        FleetNetwork.RunCheckedAsync("ip", "netns", "exec", Db.Namespace, "psql", $"postgresql://nymgateway:{Password}@{Db.Address}/nymgateway",
            "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql);

    public async ValueTask DisposeAsync()
    {
        if (_clientsBalancer is not null)
        {
            await _clientsBalancer.DisposeAsync();
        }
        await _network.DisposeAsync();
    }
}
