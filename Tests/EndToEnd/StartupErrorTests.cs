using System.Net;
using System.Net.Sockets;
using NymGateway.Fleet;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// Mistakes an operator makes at start: each ends with one line naming what is wrong and exit 1,
/// before any "Listening" line, and a gateway already running is not disturbed.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class StartupErrorTests : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private readonly TemporaryHome _home = new("nym-gateway-errors");

    public void Dispose() => _home.Dispose();

    private async Task InitAsync(string id, params string[] flags)
    {
        var (exitCode, output) = await GatewayProcess.RunToEndAsync(_home.Path,
            ["init", "--id", id, "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1", "--validator", "", .. flags]);
        Assert.True(exitCode == 0, output);
    }

    private static string[] Run(string id, int[] ports) =>
        ["run", "--id", id, "--mix-port", $"{ports[0]}", "--clients-port", $"{ports[1]}", "--silo-port", $"{ports[2]}", "--gateway-port", $"{ports[3]}"];

    private static void AssertRefused((int ExitCode, string Output) result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening for incoming", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task A_second_run_of_the_same_gateway_is_refused()
    {
        await InitAsync("twice");
        var ports = FreePorts.Take(8);
        using var first = GatewayProcess.Start(_home.Path, Run("twice", ports[..4]));
        await first.WaitForAsync("Finished nym gateway startup procedure", Startup);

        AssertRefused(await GatewayProcess.RunToEndAsync(_home.Path, Run("twice", ports[4..])), "Another nym-gateway process is running on");
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task A_taken_mix_port_is_named()
    {
        await InitAsync("busy");
        var ports = FreePorts.Take(4);
        var squatter = new TcpListener(IPAddress.Loopback, ports[0]);
        squatter.Start();
        try
        {
            AssertRefused(await GatewayProcess.RunToEndAsync(_home.Path, Run("busy", ports)), $"127.0.0.1:{ports[0]} (mix port: --mix-host/--mix-port");
        }
        finally
        {
            squatter.Stop();
        }
    }

    /// <summary>Orleans binds its ports with SO_REUSEPORT, so without the check a second silo would share them.</summary>
    [Fact]
    public async Task Another_gateway_on_the_orleans_ports_of_a_running_one_is_refused_and_the_first_keeps_serving()
    {
        await InitAsync("first");
        await InitAsync("second");
        var ports = FreePorts.Take(6);
        using var first = GatewayProcess.Start(_home.Path, Run("first", ports[..4]));
        await first.WaitForAsync("Finished nym gateway startup procedure", Startup);

        AssertRefused(await GatewayProcess.RunToEndAsync(_home.Path, Run("second", [ports[4], ports[5], ports[2], ports[3]])),
            $"127.0.0.1:{ports[2]} (Orleans silo port: --silo-port");

        await using var client = await TestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{ports[1]}/"));
        Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(new GatewayFolder(_home.Path, "first").Identity, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Unregister_without_a_validator_says_so()
    {
        await InitAsync("novalidator");
        var result = await GatewayProcess.RunToEndAsync(_home.Path, "unregister", "--id", "novalidator");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no validator is configured (`init --validator URL`, or [gateway] validator_rest_url)", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }
}
