using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NymGateway.Fleet;
using NymGateway.Tools;

namespace NymGateway.IdleClients;

/// <summary>
/// `nym-gateway run` (one process: silo, edge, embedded SQLite) in a home of the benchmark's own, with
/// the connection limits raised for the client count and the admin port on, so its GC can be read.
/// </summary>
internal sealed partial class IdleGateway : IAsyncDisposable
{
    private const string Id = "idle";
    private readonly HttpClient _http = new();
    private readonly Uri _metrics;

    private IdleGateway(GatewayProcess process, Uri clients, Uri metrics)
    {
        Process = process;
        Clients = clients;
        _metrics = metrics;
    }

    public GatewayProcess Process { get; }
    public Uri Clients { get; }

    /// <summary>`init` once per home; the limits follow <paramref name="clients"/>.</summary>
    public static async Task<GatewayFolder> InitAsync(string home, int clients)
    {
        var folder = new GatewayFolder(home, Id);
        if (!File.Exists(ConfigPath(home)))
        {
            var (exit, output) = await GatewayProcess.RunToEndAsync(home, "init", "--id", Id, "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1", "--validator", "");
            if (exit != 0)
            {
                throw new InvalidOperationException($"init failed:\n{output}");
            }
        }
        var config = await File.ReadAllTextAsync(ConfigPath(home));
        config = PerIpLimit().Replace(config, $"${{key}}{clients + 1000}");
        config = TotalLimit().Replace(config, $"${{key}}{clients + 1000}");
        await File.WriteAllTextAsync(ConfigPath(home), config);
        return folder;
    }

    /// <summary>Starts `run` on free ports with <paramref name="environment"/> on top of this process's and waits until it serves.</summary>
    public static async Task<IdleGateway> StartAsync(string home, IReadOnlyDictionary<string, string?> environment)
    {
        var ports = FreePorts(5);
        var config = await File.ReadAllTextAsync(ConfigPath(home));
        await File.WriteAllTextAsync(ConfigPath(home), AdminAddress().Replace(config, $"${{key}}\"127.0.0.1:{ports[4]}\""));
        var process = GatewayProcess.Start(home, environment, "run", "--id", Id, "--mix-port", $"{ports[0]}", "--clients-port", $"{ports[1]}",
            "--silo-port", $"{ports[2]}", "--gateway-port", $"{ports[3]}");
        var gateway = new IdleGateway(process, new Uri($"ws://127.0.0.1:{ports[1]}/"), new Uri($"http://127.0.0.1:{ports[4]}/metrics"));
        await process.WaitForAsync("Finished nym gateway startup procedure", TimeSpan.FromSeconds(90));
        return gateway;
    }

    public async Task<PrometheusScrape> ScrapeAsync() => new(await _http.GetStringAsync(_metrics));

    /// <summary>Waits until the gateway counts <paramref name="connected"/> authenticated websockets.</summary>
    public async Task WaitForConnectedAsync(int connected, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while ((await ScrapeAsync()).ValueOrZero("nym_gateway_clients_connected") != connected)
        {
            await Task.Delay(200, deadline.Token);
        }
    }

    /// <summary>The last lines the gateway printed, for a failure's report.</summary>
    public string Tail(int lines) => string.Join('\n', Process.Output.Split('\n').TakeLast(lines));

    /// <summary>Stops it with SIGTERM, and kills it when that took too long (what failed is reported by the caller).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Process.SignalAndWaitAsync("TERM");
        }
        catch (TimeoutException)
        {
            await Console.Error.WriteLineAsync("the gateway did not stop within 45 s of SIGTERM: killed");
        }
        Process.Dispose();
        _http.Dispose();
    }

    private static string ConfigPath(string home) => Path.Combine(home, ".nym", "gateways", Id, "config", "config.toml");

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    [GeneratedRegex(@"(?<key>^max_client_connections_per_ip = )\d+", RegexOptions.Multiline)]
    private static partial Regex PerIpLimit();

    [GeneratedRegex(@"(?<key>^max_client_connections = )\d+", RegexOptions.Multiline)]
    private static partial Regex TotalLimit();

    [GeneratedRegex(@"(?<key>\[admin\][^\[]*?^listening_address = )""[^""]*""", RegexOptions.Multiline)]
    private static partial Regex AdminAddress();
}
