using System.Net;
using System.Net.Sockets;
using NymGateway.Fleet;
using Xunit;
using Xunit.Abstractions;

namespace NymGateway.Tests.Fleet;

/// <summary>The harness itself: hosts reach each other over the bridge until cut, never the outside, and leave nothing behind.</summary>
[Trait("Category", "Fleet")]
public sealed class FleetHarnessTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public async Task Hosts_reach_each_other_until_cut_and_nothing_outside_and_leave_nothing_behind()
    {
        var fleet = await FleetNetwork.CreateAsync(output.WriteLine);
        string leftover;
        try
        {
            var a = await fleet.AddHostAsync("a", "10.0.0.1");
            var b = await fleet.AddHostAsync("b", "10.0.0.2");
            Assert.Contains("inet 10.0.0.1/24", await a.ExecAsync(NoEnvironment, "ip", "-4", "-o", "addr", "show", "dev", "eth0"), StringComparison.Ordinal);

            using var listener = b.Inside(() => new TcpListener(b.Address, 0));
            listener.Start(backlog: 10);
            var service = new IPEndPoint(b.Address, ((IPEndPoint)listener.LocalEndpoint).Port);
            Assert.Null(await ConnectAsync(a, service));
            await b.CutAsync();
            Assert.Equal(SocketError.TimedOut, await ConnectAsync(a, service));
            await b.HealAsync();
            Assert.Null(await ConnectAsync(a, service));
            Assert.Equal(SocketError.NetworkUnreachable, await ConnectAsync(a, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 80)));

            var sleeper = a.Start(NoEnvironment, "sleep", "600");
            a.Kill();
            Assert.True(sleeper.HasExited);
            // A daemon, as PostgreSQL is: the fleet ends it when it removes the host.
            await b.ExecAsync(NoEnvironment, "sh", "-c", "sleep 600 >/dev/null 2>&1 &");
            leftover = (await FleetNetwork.RunCheckedAsync("ip", "netns", "pids", b.Namespace)).Trim();
            Assert.NotEmpty(leftover);
        }
        finally
        {
            await fleet.DisposeAsync();
        }
        Assert.DoesNotContain(fleet.Tag, await FleetNetwork.RunCheckedAsync("ip", "netns", "list"), StringComparison.Ordinal);
        Assert.False(Runs(leftover), $"process {leftover} outlived its host");
    }

    /// <summary>Whether the process exists and is not a zombie (an ended orphan waits for its reaper a moment).</summary>
    private static bool Runs(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Null when <paramref name="host"/> can connect to <paramref name="target"/> within a second, else why not.</summary>
    private static async Task<SocketError?> ConnectAsync(FleetHost host, IPEndPoint target)
    {
        using var socket = host.Inside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(target, timeout.Token);
            return null;
        }
        catch (OperationCanceledException)
        {
            return SocketError.TimedOut;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
    }
}
