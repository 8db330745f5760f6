
namespace NymGateway.Fleet;

/// <summary>
/// Hosts on separate network stacks, as on separate machines: each host is a Linux network
/// namespace with one address on a bridge that lives in a namespace of its own. Nothing routes out
/// of them, so the hosts' traffic stays among them. Every name carries a tag of this run, so
/// parallel runs and leftovers of a crashed one never collide. Needs root and iproute2.
/// Disposing stops every host, removes every namespace (and with them every link and address) and
/// hands each host's output to the output it was created with (a test runner prints it when the test failed).
/// </summary>
public sealed class FleetNetwork : IAsyncDisposable
{
    /// <summary>The hosts' network; addresses given to <see cref="AddHostAsync"/> must lie in it.</summary>
    public const string Network = "10.0.0.0/24";
    private const string Bridge = "br0";
    private readonly Action<string> _output;
    private readonly List<FleetHost> _hosts = [];

    private FleetNetwork(Action<string> output)
    {
        _output = output;
        Tag = "nymfleet-" + Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>The prefix of every namespace of this fleet.</summary>
    public string Tag { get; }

    internal string BridgeNamespace => $"{Tag}-bridge";

    /// <param name="output">Where the hosts' reports go when the fleet is disposed (a test's output, the console).</param>
    public static async Task<FleetNetwork> CreateAsync(Action<string> output)
    {
        var fleet = new FleetNetwork(output);
        string? failure;
        try
        {
            var (exit, error) = await RunAsync("ip", "netns", "add", fleet.BridgeNamespace);
            failure = exit == 0 ? null : $"({exit}) {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            failure = ex.Message; // no `ip` at all
        }
        if (failure is not null)
        {
            throw new InvalidOperationException($"A fleet needs root and iproute2 to create network namespaces; `ip netns add` failed here: {failure}");
        }
        try
        {
            await fleet.BridgeAsync("link", "add", "name", Bridge, "type", "bridge");
            await fleet.BridgeAsync("link", "set", "dev", Bridge, "up");
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
        return fleet;
    }

    /// <summary>A new host <paramref name="name"/> (at most 15 characters: it names its port on the bridge) on <paramref name="address"/>.</summary>
    public async Task<FleetHost> AddHostAsync(string name, string address)
    {
        if (name.Length > 15 || name == Bridge)
        {
            throw new ArgumentException($"'{name}' cannot name a network interface", nameof(name));
        }
        var host = new FleetHost(this, name, $"{Tag}-{name}", System.Net.IPAddress.Parse(address));
        _hosts.Add(host); // before anything can fail, so disposing removes what was made
        await RunCheckedAsync("ip", "netns", "add", host.Namespace);
        // One veth pair: "eth0" in the host, its peer named after the host on the bridge.
        await BridgeAsync("link", "add", "name", name, "type", "veth", "peer", "name", "eth0", "netns", host.Namespace);
        await BridgeAsync("link", "set", "dev", name, "master", Bridge);
        await BridgeAsync("link", "set", "dev", name, "up");
        await RunCheckedAsync("ip", "-n", host.Namespace, "addr", "add", $"{address}/{Network.Split('/')[1]}", "dev", "eth0");
        await RunCheckedAsync("ip", "-n", host.Namespace, "link", "set", "dev", "eth0", "up");
        await RunCheckedAsync("ip", "-n", host.Namespace, "link", "set", "dev", "lo", "up");
        return host;
    }

    internal Task BridgeAsync(params string[] args) => RunCheckedAsync(["ip", "-n", BridgeNamespace, .. args]);

    /// <summary>Runs a command (outside every host) to its end: its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] command)
    {
        using var process = GatewayProcess.StartCommand(command[0], command[1..], new Dictionary<string, string?>());
        return await process.ExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Runs a command (outside every host) to its end and returns its output; throws when it exits non-zero.</summary>
    public static async Task<string> RunCheckedAsync(params string[] command)
    {
        var (exit, output) = await RunAsync(command);
        return exit == 0 ? output : throw new InvalidOperationException($"`{string.Join(' ', command)}` failed ({exit}): {output.Trim()}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
            _output(host.Report());
        }
        var (exit, error) = await RunAsync("ip", "netns", "del", BridgeNamespace);
        if (exit != 0)
        {
            _output($"could not remove the namespace {BridgeNamespace}: {error}");
        }
    }
}
