using System.Net.Sockets;
using NymGateway.Fleet;
using NymGateway.Nym.Keys;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>The nym-gateway executable as an operator uses it: init, run, Ctrl-C, in a temporary $HOME.</summary>
[Trait("Category", "EndToEnd")]
public sealed class CliTests : IDisposable
{
    private readonly TemporaryHome _home = new("nym-gateway-cli");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Init_then_run_prints_what_0_9_2_prints_serves_and_exits_cleanly_on_ctrl_c()
    {
        var ports = FreePorts.Take(5);
        var init = await RunToEndAsync("init", "--id", "alice", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1",
            "--mix-port", $"{ports[0]}", "--clients-port", $"{ports[1]}", "--validator", $"http://127.0.0.1:{ports[4]}");
        Assert.Equal(0, init.ExitCode);
        Assert.Contains("Initialising gateway alice...", init.Output, StringComparison.Ordinal);
        Assert.Contains("Saved identity and mixnet sphinx keypairs", init.Output, StringComparison.Ordinal);
        var data = Path.Combine(_home.Path, ".nym", "gateways", "alice", "data");
        var publicIdentity = File.ReadAllText(Path.Combine(data, "public_identity.pem"));
        Assert.True(File.Exists(Path.Combine(_home.Path, ".nym", "gateways", "alice", "config", "config.toml")));

        var again = await RunToEndAsync("init", "--id", "alice", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1",
            "--mix-port", $"{ports[0]}", "--clients-port", $"{ports[1]}", "--validator", $"http://127.0.0.1:{ports[4]}");
        Assert.Contains("was already initialised before", again.Output, StringComparison.Ordinal);
        Assert.Equal(publicIdentity, File.ReadAllText(Path.Combine(data, "public_identity.pem")));

        Assert.True(PemKey.TryDecode(publicIdentity, PemKey.IdentityPublicTag, 32, out var identityBytes, out _));
        Assert.True(IdentityPublicKey.TryFromBytes(identityBytes, out var identity, out _));

        using var run = GatewayProcess.Start(_home.Path, "run", "--id", "alice", "--silo-port", $"{ports[2]}", "--gateway-port", $"{ports[3]}");
        await run.WaitForAsync("Finished nym gateway startup procedure", TimeSpan.FromSeconds(60));

        var printed = run.Output;
        foreach (var line in new[]
                 {
                     "(gateway - version 0.9.2)",
                     "Starting gateway alice...",
                     $"Public identity key: {identity.ToBase58()}",
                     "Public sphinx key: ",
                     "You are trying to bind to 127.0.0.1 - you might not be accessible to other nodes",
                     $"Validator REST endpoint: http://127.0.0.1:{ports[4]}",
                     $"Listening for incoming sphinx packets on 127.0.0.1:{ports[0]}",
                     $"Announcing the following socket address for sphinx packets: 127.0.0.1:{ports[0]}",
                     $"Listening for incoming clients packets on 127.0.0.1:{ports[1]}",
                     $"Announcing the following socket address for clients packets: ws://127.0.0.1:{ports[1]}",
                     "Inboxes directory is: ",
                     "Clients ledger is stored at: ",
                     "Starting mix packet forwarder...",
                     "Starting clients handler",
                     "Starting mix socket listener...",
                     $"Running mix listener on \"127.0.0.1:{ports[0]}\"",
                     $"Starting mixnet listener at 127.0.0.1:{ports[0]}",
                     "Starting client [web]socket listener...",
                     $"Starting websocket listener at 127.0.0.1:{ports[1]}",
                 })
        {
            Assert.Contains(line, printed, StringComparison.Ordinal);
        }

        foreach (var port in ports[..2])
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            Assert.True(tcp.Connected);
        }

        // Ctrl-C is SIGINT, unless this test itself was started with SIGINT ignored (a background
        // job of a non-interactive shell): the child inherits that, so then SIGTERM stands in.
        await run.SignalAndWaitAsync(SigIntIgnoredHere() ? "TERM" : "INT");
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Run_without_init_says_so_and_fails()
    {
        var result = await RunToEndAsync("run", "--id", "nobody");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Are you sure you have run `init` before?", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("init")]
    [InlineData("run")]
    [InlineData("unregister")]
    [InlineData("check")]
    [InlineData("upgrade")]
    public async Task Every_command_has_help(string command)
    {
        var result = await RunToEndAsync(command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--id", result.Output, StringComparison.Ordinal);
    }

    private static bool SigIntIgnoredHere()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line[7..].Trim(), 16) & 0b10) != 0;
    }

    private Task<(int ExitCode, string Output)> RunToEndAsync(params string[] args) => GatewayProcess.RunToEndAsync(_home.Path, args);
}
