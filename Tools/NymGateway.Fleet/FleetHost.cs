using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;

namespace NymGateway.Fleet;

/// <summary>
/// One host of a <see cref="FleetNetwork"/>: a network namespace with one address, and a $HOME of its own.
/// Processes run in it under `ip netns exec`; sockets of this test process are made in it with <see cref="Inside"/>.
/// </summary>
public sealed partial class FleetHost : IAsyncDisposable
{
    private static readonly TimeSpan ExecTimeout = TimeSpan.FromSeconds(120);
    private readonly FleetNetwork _fleet;
    private readonly TemporaryHome _home = new("nym-fleet");
    private readonly List<(string Command, GatewayProcess Process)> _processes = [];
    private readonly StringBuilder _problems = new();
    private HttpMessageInvoker? _http;

    internal FleetHost(FleetNetwork fleet, string name, string @namespace, IPAddress address)
    {
        _fleet = fleet;
        Name = name;
        Namespace = @namespace;
        Address = address;
    }

    public string Name { get; }
    public string Namespace { get; }
    public IPAddress Address { get; }

    /// <summary>This host's $HOME, for every process started on it.</summary>
    public string Home => _home.Path;

    /// <summary>The command line of the nym-gateway under test.</summary>
    public static string[] NymGateway(params string[] args) => ["dotnet", GatewayProcess.Dll, .. args];

    /// <summary>Starts a command on this host, with <paramref name="environment"/> on top of this process's and the host's $HOME.</summary>
    public GatewayProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] command)
    {
        var process = GatewayProcess.StartCommand("ip", ["netns", "exec", Namespace, .. command],
            new Dictionary<string, string?>(environment) { ["HOME"] = Home });
        lock (_processes)
        {
            _processes.Add((string.Join(' ', command), process));
        }
        return process;
    }

    /// <summary>Runs a command on this host to its end and returns its output; throws when it exits non-zero.</summary>
    public async Task<string> ExecAsync(IReadOnlyDictionary<string, string?> environment, params string[] command)
    {
        var (exit, output) = await Start(environment, command).ExitAsync(ExecTimeout);
        return exit == 0 ? output : throw new InvalidOperationException($"`{string.Join(' ', command)}` on {Name} failed ({exit}):\n{output}");
    }

    /// <summary>SIGKILL to every process started on this host.</summary>
    public void Kill()
    {
        foreach (var (_, process) in Processes())
        {
            process.Kill();
        }
    }

    /// <summary>SIGTERM to every process started on this host that still runs, and waits for them to exit.</summary>
    public Task StopAsync() => Task.WhenAll(Processes().Select(p => p.Process.SignalAndWaitAsync("TERM")));

    /// <summary>Cuts this host off the network (its port on the bridge goes down); its connections stall, as behind a pulled cable.</summary>
    public Task CutAsync() => _fleet.BridgeAsync("link", "set", "dev", Name, "down");

    public Task HealAsync() => _fleet.BridgeAsync("link", "set", "dev", Name, "up");

    /// <summary>
    /// Drops every packet between this host and <paramref name="peers"/> (an nftables table in this
    /// host's namespace), so only those paths stall; <see cref="UnblockAsync"/> lifts it.
    /// </summary>
    public Task BlockAsync(params IPAddress[] peers)
    {
        var set = string.Join(", ", peers.Select(p => p.ToString()));
        return FleetNetwork.RunCheckedAsync("ip", "netns", "exec", Namespace, "nft",
            $"table ip fleet {{ chain input {{ type filter hook input priority 0; ip saddr {{ {set} }} drop; }}; " +
            $"chain output {{ type filter hook output priority 0; ip daddr {{ {set} }} drop; }}; }}");
    }

    public Task UnblockAsync() => FleetNetwork.RunCheckedAsync("ip", "netns", "exec", Namespace, "nft", "delete", "table", "ip", "fleet");

    /// <summary>
    /// Runs <paramref name="create"/> on a thread that entered this host's network namespace, so every
    /// socket it creates before its first await lives on this host (a socket keeps the namespace it was
    /// made in, and can be used from any thread after that).
    /// </summary>
    public T Inside<T>(Func<T> create)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{Namespace}");
                if (SetNamespace(handle.DangerousGetHandle().ToInt32(), NewNetworkNamespace) != 0)
                {
                    throw new IOException($"setns into {Namespace} failed: errno {Marshal.GetLastPInvokeError()}");
                }
                result = create();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>HTTP and websocket connections from this host (for ClientWebSocket.ConnectAsync).</summary>
    public HttpMessageInvoker Http => _http ??= new HttpMessageInvoker(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = Inside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    /// <summary>What ran on this host and what it printed.</summary>
    public string Report()
    {
        var report = new StringBuilder($"===== {Name} ({Address}, namespace {Namespace}, HOME {Home}) =====\n");
        foreach (var (command, process) in Processes())
        {
            report.Append("----- $ ").Append(command).Append(" -----\n").Append(process.Output);
        }
        return report.Append(_problems).ToString();
    }

    private List<(string Command, GatewayProcess Process)> Processes()
    {
        lock (_processes)
        {
            return [.. _processes];
        }
    }

    /// <summary>Ends everything still running in the namespace (daemons such as PostgreSQL too: TERM, then KILL), then removes it. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in Processes())
        {
            process.Dispose();
        }
        _http?.Dispose();
        try
        {
            foreach (var signal in new[] { "TERM", "KILL" })
            {
                for (int wait = 0; wait < 50 && await LeftoverPidsAsync() is { Length: > 0 } pids; wait++)
                {
                    if (wait == 0)
                    {
                        await FleetNetwork.RunAsync(["kill", $"-{signal}", .. pids]);
                    }
                    await Task.Delay(200);
                }
            }
            await FleetNetwork.RunCheckedAsync("ip", "netns", "del", Namespace);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            _problems.AppendLine($"cleaning up {Namespace}: {ex.Message}");
        }
        _home.Dispose();
    }

    private async Task<string[]> LeftoverPidsAsync() =>
        (await FleetNetwork.RunCheckedAsync("ip", "netns", "pids", Namespace)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private const int NewNetworkNamespace = 0x40000000; // CLONE_NEWNET

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int nstype);
}
