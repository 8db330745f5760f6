using System.Net;
using System.Net.Sockets;
using NymGateway.Cli.Config;
using NymGateway.Fleet;
using NymGateway.Load.Options;

namespace NymGateway.Load.Gateway;

/// <summary>
/// The gateway being measured, as its own processes of the real nym-gateway: `init` into a fresh
/// $HOME, then `run`, or a `silo` and edges on PostgreSQL. The tool reaches it only through its ports.
/// </summary>
public sealed class GatewayUnderTest : IAsyncDisposable
{
    private const string Id = "load";
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(120);
    private const string Ready = "Finished nym gateway startup procedure";
    private readonly List<(string Name, GatewayProcess Process)> _processes = [];

    private GatewayUnderTest(string home) => Home = home;

    public string Home { get; }

    /// <summary>Each process of the gateway with its role ("run", "silo", "edge 1", ...).</summary>
    public IReadOnlyList<(string Name, GatewayProcess Process)> Processes => _processes;

    public List<IPEndPoint> MixEndPoints { get; } = [];

    public List<Uri> ClientsUris { get; } = [];

    public GatewayFolder Keys => new(Home, Id);

    public string Description { get; private set; } = "";

    public static async Task<GatewayUnderTest> StartAsync(LoadOptions options, string home)
    {
        var gateway = new GatewayUnderTest(home);
        try
        {
            await gateway.StartProcessesAsync(options);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    private async Task StartProcessesAsync(LoadOptions options)
    {
        int mixPort = FreePort(), clientsPort = FreePort();
        var (code, output) = await GatewayProcess.RunToEndAsync(Home, "init", "--id", Id, "--mix-host", "127.0.0.1", "--mix-port", Port(mixPort),
            "--clients-host", "127.0.0.1", "--clients-port", Port(clientsPort), "--validator", "", "--cluster-id", "load-" + Guid.NewGuid().ToString("N")[..8]);
        if (code != 0)
        {
            throw new InvalidOperationException($"nym-gateway init failed ({code}):\n{output}");
        }
        // The run fills inboxes far beyond the default bound, which would otherwise set the figures.
        var config = ConfigFile.Load(Path.Combine(Home, ".nym", "gateways", Id, "config", "config.toml"));
        config.Storage.MaxMessagesPerInbox = 100_000_000;
        ConfigFile.Save(config);

        if (options.Mode == GatewayMode.Single)
        {
            await StartAsync("run", new Dictionary<string, string?>(), Ready, "run", "--id", Id);
            MixEndPoints.Add(new IPEndPoint(IPAddress.Loopback, mixPort));
            ClientsUris.Add(new Uri($"ws://127.0.0.1:{clientsPort}/"));
            Description = "single process (nym-gateway run, SQLite)";
            return;
        }
        var database = new Dictionary<string, string?> { [EnvironmentOverrides.Database] = options.Database };
        await StartAsync("silo", database, "Silo ready", "silo", "--id", Id, "--silo-port", Port(FreePort()), "--gateway-port", Port(FreePort()));
        await Task.WhenAll(Enumerable.Range(1, options.Edges).Select(e =>
        {
            int mix = FreePort(), clients = FreePort();
            MixEndPoints.Add(new IPEndPoint(IPAddress.Loopback, mix));
            ClientsUris.Add(new Uri($"ws://127.0.0.1:{clients}/"));
            return StartAsync($"edge {e}", database, Ready, "edge", "--id", Id, "--mix-port", Port(mix), "--clients-port", Port(clients));
        }));
        Description = $"cluster: 1 silo and {options.Edges} edge(s) (nym-gateway silo/edge, PostgreSQL)";
    }

    private async Task StartAsync(string name, IReadOnlyDictionary<string, string?> environment, string ready, params string[] args)
    {
        var process = GatewayProcess.Start(Home, environment, args);
        lock (_processes)
        {
            _processes.Add((name, process));
        }
        await process.WaitForAsync(ready, Startup);
    }

    /// <summary>The last lines a process printed, for a failure report.</summary>
    public string Tails(int lines) => string.Join("\n", _processes.Select(p =>
        $"--- {p.Name} ---\n" + string.Join("\n", p.Process.Output.Split('\n').TakeLast(lines))));

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Stops every process gracefully (edges before the silo), killing what does not stop.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in Enumerable.Reverse(_processes))
        {
            try
            {
                await process.SignalAndWaitAsync("TERM");
            }
            catch (TimeoutException)
            {
            }
            process.Dispose();
        }
    }
}
