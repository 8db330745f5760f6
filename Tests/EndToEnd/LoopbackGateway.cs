using System.Net;
using NymGateway.Fleet;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>A `run` gateway process in a test's $HOME on loopback ports of its own: `init`, then `run` until it reports ready.</summary>
public sealed class LoopbackGateway : IDisposable
{
    private LoopbackGateway(string home, string id, int[] ports, IReadOnlyDictionary<string, string?> environment)
    {
        Folder = new GatewayFolder(home, id);
        Run = ["run", "--id", id, "--silo-port", $"{ports[2]}", "--gateway-port", $"{ports[3]}"];
        MixEndPoint = new IPEndPoint(IPAddress.Loopback, ports[0]);
        ClientsUri = new Uri($"ws://127.0.0.1:{ports[1]}/");
        Process = GatewayProcess.Start(home, environment, Run);
    }

    public GatewayFolder Folder { get; }
    public GatewayProcess Process { get; }

    /// <summary>The `run` command line, to start the same gateway again.</summary>
    public string[] Run { get; }

    public IPEndPoint MixEndPoint { get; }
    public Uri ClientsUri { get; }

    /// <param name="ports">Mix, clients, Orleans silo and Orleans gateway port.</param>
    /// <param name="validator">Presence off unless a validator URL is given.</param>
    public static async Task<LoopbackGateway> StartAsync(string home, string id, int[] ports, string validator = "", IReadOnlyDictionary<string, string?>? environment = null)
    {
        var init = await GatewayProcess.RunToEndAsync(home, "init", "--id", id, "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1",
            "--mix-port", $"{ports[0]}", "--clients-port", $"{ports[1]}", "--validator", validator);
        Assert.True(init.ExitCode == 0, init.Output);
        var gateway = new LoopbackGateway(home, id, ports, environment ?? new Dictionary<string, string?>());
        await gateway.Process.WaitForAsync("Finished nym gateway startup procedure", TimeSpan.FromSeconds(60));
        return gateway;
    }

    public void Dispose() => Process.Dispose();
}
