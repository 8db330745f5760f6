using NymGateway.Fleet;
using NymGateway.Nym.Keys;

namespace NymGateway.ScaleOut;

/// <summary>
/// The benchmark's hosts, each in its network namespace and CPU group: PostgreSQL on 10.0.0.5, silos
/// on 10.0.0.11.., edges on 10.0.0.21.., the load driver on 10.0.0.41. One gateway folder, made by
/// `init` on silo1 and copied to every host, as the README's several-machine recipe does. Disposing
/// stops and removes everything: processes, namespaces, groups.
/// </summary>
internal sealed class ScaleFleet : IAsyncDisposable
{
    public const string GroupPrefix = "nymscale-";
    private const string Password = "nymgateway"; // the one scripts/postgres.sh gives the role
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(120);
    private readonly FleetNetwork _network;
    private readonly List<CpuGroup> _groups = [];
    private readonly List<(string Host, GatewayProcess Process)> _processes = [];

    private ScaleFleet(FleetNetwork network) => _network = network;

    public FleetHost Database { get; private set; } = null!;
    public List<FleetHost> Silos { get; } = [];
    public List<FleetHost> Edges { get; } = [];
    public FleetHost Driver { get; private set; } = null!;
    public Dictionary<FleetHost, CpuGroup> Groups { get; } = [];
    public IdentityPublicKey GatewayIdentity { get; private set; } = null!;
    public byte[] GatewaySphinxKey { get; private set; } = [];

    /// <summary>The hosts and their groups, PostgreSQL running, the gateway folder on every host.</summary>
    public static async Task<ScaleFleet> CreateAsync(int silos, int edges, Action<string> hostReports)
    {
        var fleet = new ScaleFleet(await FleetNetwork.CreateAsync(hostReports));
        try
        {
            fleet.Database = await fleet.AddAsync("db", "10.0.0.5");
            for (int s = 1; s <= silos; s++)
            {
                fleet.Silos.Add(await fleet.AddAsync($"silo{s}", $"10.0.0.{10 + s}"));
            }
            for (int e = 1; e <= edges; e++)
            {
                fleet.Edges.Add(await fleet.AddAsync($"edge{e}", $"10.0.0.{20 + e}"));
            }
            fleet.Driver = await fleet._network.AddHostAsync("driver", "10.0.0.41");
            await fleet.StartPostgresAsync();
            await fleet.InitGatewayAsync();
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    private async Task<FleetHost> AddAsync(string name, string address)
    {
        var host = await _network.AddHostAsync(name, address);
        var group = CpuGroup.Create($"{GroupPrefix}{_network.Tag}-{name}");
        _groups.Add(group);
        Groups[host] = group;
        return host;
    }

    private async Task StartPostgresAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "postgres.sh");
        var environment = new Dictionary<string, string?>
        {
            ["NYM_PG_LISTEN"] = Database.Address.ToString(),
            ["NYM_PG_ALLOW"] = FleetNetwork.Network,
            ["NYM_PG_PORT"] = "5432",
            ["NYM_PG_DATA"] = Path.Combine(Database.Home, "pg"),
        };
        var (exit, output) = await Start(Database, environment, "bash", script).ExitAsync(Startup);
        if (exit != 0)
        {
            throw new InvalidOperationException($"PostgreSQL did not start ({exit}):\n{output}");
        }
    }

    private async Task InitGatewayAsync()
    {
        var init = Silos[0];
        await init.ExecAsync(new Dictionary<string, string?>(), FleetHost.NymGateway("init", "--id", "gw", "--mix-host", "0.0.0.0", "--clients-host", "0.0.0.0",
            "--mix-announce-host", "10.0.0.20", "--clients-announce-host", "10.0.0.20", "--cluster-id", "scale", "--validator", ""));
        var folder = Path.Combine(".nym", "gateways", "gw");
        foreach (var host in Silos.Skip(1).Concat(Edges))
        {
            Directory.CreateDirectory(Path.Combine(host.Home, ".nym", "gateways"));
            await FleetNetwork.RunCheckedAsync("cp", "-a", Path.Combine(init.Home, folder), Path.Combine(host.Home, folder));
        }
        var data = Path.Combine(init.Home, folder, "data");
        GatewaySphinxKey = ReadKey(Path.Combine(data, "public_sphinx.pem"), PemKey.EncryptionPublicTag);
        GatewayIdentity = IdentityPublicKey.TryFromBytes(ReadKey(Path.Combine(data, "public_identity.pem"), PemKey.IdentityPublicTag), out var key, out var error)
            ? key : throw new InvalidOperationException($"the gateway's identity key: {error}");
    }

    private static byte[] ReadKey(string file, string tag) =>
        PemKey.TryDecode(File.ReadAllText(file), tag, 32, out var bytes, out var error) ? bytes : throw new InvalidOperationException($"{file}: {error}");

    /// <summary>A fresh database for one configuration: nothing stored, no replay tags, an empty membership table.</summary>
    public Task CreateDatabaseAsync(string name) => SqlAsync("nymgateway", $"CREATE DATABASE {name} OWNER nymgateway");

    /// <summary>The one-row answer of <paramref name="query"/> on database <paramref name="database"/>, its columns split.</summary>
    public async Task<string[]> SqlAsync(string database, string query)
    {
        var output = await Database.ExecAsync(new Dictionary<string, string?> { ["PGPASSWORD"] = Password },
            "psql", "-h", Database.Address.ToString(), "-p", "5432", "-U", "nymgateway", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", query);
        return output.Trim().Split('|');
    }

    /// <summary>Silos, then edges (without a quota while they start: JIT at a quarter core takes long), each waited for.</summary>
    public async Task StartClusterAsync(string database, int silos, int edges, CancellationToken cancellation)
    {
        var environment = new Dictionary<string, string?>
        {
            ["NYM_GATEWAY_DATABASE"] = $"Host={Database.Address};Port=5432;Database={database};Username=nymgateway;Password={Password};SSL Mode=Disable",
        };
        var starting = Silos.Take(silos).Select(host => Start(host, environment, FleetHost.NymGateway("silo", "--id", "gw", "--advertise", host.Address.ToString()))).ToList();
        await Task.WhenAll(starting.Select(p => p.WaitForAsync("Silo ready", Startup))).WaitAsync(cancellation);
        // An edge limited to a fraction of a core sees one processor, as .NET would inside a container with that quota.
        environment["DOTNET_PROCESSOR_COUNT"] = "1";
        starting = [.. Edges.Take(edges).Select(host => Start(host, environment, FleetHost.NymGateway("edge", "--id", "gw")))];
        await Task.WhenAll(starting.Select(p => p.WaitForAsync("Finished nym gateway startup procedure", Startup))).WaitAsync(cancellation);
    }

    /// <summary>SIGTERM to every gateway process, edges first; all of them exit.</summary>
    public async Task StopClusterAsync()
    {
        foreach (var tier in new[] { "edge", "silo" })
        {
            await Task.WhenAll(RunningProcesses().Where(p => p.Host.StartsWith(tier, StringComparison.Ordinal)).Select(p => p.Process.SignalAndWaitAsync("TERM")));
        }
    }

    /// <summary>The last lines each gateway process printed, for a run that failed.</summary>
    public string Tails(int lines) => string.Join('\n', RunningProcesses(all: true).Select(p =>
        $"----- {p.Host} -----\n" + string.Join('\n', p.Process.Output.Split('\n').TakeLast(lines))));

    private List<(string Host, GatewayProcess Process)> RunningProcesses(bool all = false)
    {
        lock (_processes)
        {
            return [.. _processes.Where(p => all || !p.Process.HasExited)];
        }
    }

    private GatewayProcess Start(FleetHost host, Dictionary<string, string?> environment, params string[] command)
    {
        var process = Groups[host].Start(host, environment, command);
        lock (_processes)
        {
            _processes.Add((host.Name, process));
        }
        return process;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NymGateway.Orleans.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("no NymGateway.Orleans.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>Groups of a run that was killed before it could clean up: their processes killed, the groups and the run's namespaces removed.</summary>
    public static async Task<IReadOnlyList<string>> RemoveLeftoversAsync()
    {
        var names = CpuGroup.Existing(GroupPrefix);
        foreach (var name in names)
        {
            await CpuGroup.Open(name).DisposeAsync();
        }
        var tags = names.Select(n => n[GroupPrefix.Length..]).Select(n => n[..n.LastIndexOf('-')]).Distinct();
        var namespaces = (await FleetNetwork.RunCheckedAsync("ip", "netns", "list")).Split('\n').Select(l => l.Split(' ')[0]);
        foreach (var ns in namespaces.Where(ns => tags.Any(t => ns.StartsWith(t + "-", StringComparison.Ordinal))))
        {
            await FleetNetwork.RunAsync("ip", "netns", "del", ns);
        }
        return names;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in RunningProcesses(all: true))
        {
            process.Dispose();
        }
        await _network.DisposeAsync(); // ends what still runs in each namespace (PostgreSQL too)
        foreach (var group in _groups)
        {
            await group.DisposeAsync();
        }
    }
}
