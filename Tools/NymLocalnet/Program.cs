using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NymGateway.Mixnet;
using NymGateway.Mixnet.Localnet;

var cluster = new Option<bool>("--cluster") { Description = "A silo and two edges on PostgreSQL instead of one `run` process on SQLite" };
var database = new Option<string?>("--database")
{
    Description = "PostgreSQL connection string for --cluster (default: $NYM_GATEWAY_DATABASE, else the instance scripts/postgres.sh starts)",
};
var directory = new Option<string>("--dir")
{
    Description = "Where the gateway ($HOME of its processes), the clients' keys, the logs and topology.json go; emptied first",
    DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "nym-localnet"),
};
var basePort = new Option<int>("--base-port") { Description = "The gateway's ports are this one and the next 5", DefaultValueFactory = _ => 21789 };
var maxDelay = new Option<int>("--max-delay-ms")
{
    Description = "The longest any mix node holds a packet",
    DefaultValueFactory = _ => (int)MixNodeOptions.DefaultMaxDelay.TotalMilliseconds,
};
var gateway = new Option<string?>("--gateway") { Description = "nym-gateway to run: a .dll (run with dotnet) or a program; default: the one built next to this tool" };

var up = new Command("up", "Starts a gateway, 3 mix nodes and 2 clients on loopback, sends alice's message to bob, then relays typed lines until Ctrl-C")
{
    cluster, database, directory, basePort, maxDelay, gateway,
};
up.SetAction(async (result, cancellationToken) =>
{
    var options = new LocalnetOptions
    {
        Directory = Path.GetFullPath(result.GetValue(directory)!),
        GatewayCommand = GatewayCommand(result.GetValue(gateway)),
        Ports = [.. Enumerable.Range(result.GetValue(basePort), LocalnetOptions.PortCount)],
        ClusterDatabase = result.GetValue(cluster) ? result.GetValue(database) ?? Environment.GetEnvironmentVariable("NYM_GATEWAY_DATABASE")
            ?? "Host=127.0.0.1;Port=25432;Database=nymgateway;Username=nymgateway;Password=nymgateway" : null,
        MaxDelay = TimeSpan.FromMilliseconds(result.GetValue(maxDelay)),
    };
    using var stop = new StopSignal();
    using var loggers = ToolLogging.Create(LogLevel.Warning);
    Console.WriteLine($"Starting the gateway ({(options.ClusterDatabase is null ? "one process, SQLite" : "a silo and 2 edges, PostgreSQL")}); logs in {options.Directory}");
    var clock = Stopwatch.StartNew();
    Localnet net;
    try
    {
        net = await Localnet.StartAsync(options, loggers);
    }
    catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException or TimeoutException)
    {
        Console.Error.WriteLine($"The localnet did not start: {ex.Message}");
        return 1;
    }
    await using var running = net;
    Console.WriteLine($"Gateway {net.Gateway.Identity} up in {clock.Elapsed.TotalSeconds:F1} s: mix {net.Gateway.Mix}, clients {string.Join(", ", net.Gateway.ClientsAddresses)}");
    foreach (var (node, layer) in net.MixNodes.Select((n, i) => (n, i + 1)))
    {
        Console.WriteLine($"Mix node, layer {layer}: {node.EndPoint}");
    }
    Console.WriteLine($"alice: {net.Alice.Address}");
    Console.WriteLine($"bob:   {net.Bob.Address}");
    Console.WriteLine($"Topology for nym-client: {net.TopologyFile}");

    await SendAsync(net, "Hello bob, this is alice, through three mix nodes.");
    Console.WriteLine("Type a line to send it from alice to bob; Ctrl-C stops everything.");
    // Console.In reads synchronously: on a thread of its own, so a signal is not stuck behind a read.
    _ = Task.Run(() => RelayLinesAsync(net, stop.Token), CancellationToken.None);
    await stop.WaitAsync();
    Console.WriteLine("Stopping the clients, the mix nodes and the gateway");
    return 0;
});

return await new RootCommand("A local Nym mixnet around this gateway") { up }.Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

static IReadOnlyList<string> GatewayCommand(string? path)
{
    path ??= Path.Combine(AppContext.BaseDirectory, "nym-gateway.dll");
    return path.EndsWith(".dll", StringComparison.Ordinal) ? ["dotnet", path] : [path];
}

static async Task SendAsync(Localnet net, string text)
{
    Console.WriteLine($"alice -> bob: {text}");
    var (received, delivered, acknowledged) = await net.SendAliceToBobAsync(text, TimeSpan.FromSeconds(60));
    Console.WriteLine($"bob received after {delivered.TotalMilliseconds:F0} ms: {received}");
    Console.WriteLine($"alice got its SURB-ACK back after {acknowledged.TotalMilliseconds:F0} ms (retransmissions so far: {net.Alice.Retransmissions})");
}

static async Task RelayLinesAsync(Localnet net, CancellationToken stopping)
{
    while (await Console.In.ReadLineAsync(stopping) is { } line)
    {
        if (line.Length > 0)
        {
            await SendAsync(net, line);
        }
    }
}
