using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using NymGateway.Cli.Config;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Nym.Framing;
using NymGateway.Tests.Telemetry;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// The connection limits of both ports: each one hit is closed as documented, counted in
/// nym_gateway_connections_{refused,timed_out}_total and logged (throttled), while a bystander
/// client keeps receiving. Other 127.x addresses stand in for other peers.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ConnectionLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly IPAddress Peer = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress OtherPeer = IPAddress.Parse("127.0.0.3");

    private sealed class Gateway : IAsyncDisposable
    {
        private Gateway(SingleProcessGateway process, MixNodeStub ackNode, Bystander bystander, InstrumentRecorder metrics)
        {
            Process = process;
            AckNode = ackNode;
            Bystander = bystander;
            Metrics = metrics;
        }

        public SingleProcessGateway Process { get; }
        public MixNodeStub AckNode { get; }
        public Bystander Bystander { get; }
        public InstrumentRecorder Metrics { get; }
        public IPEndPoint ClientsEndPoint => Process.Config.ClientsEndpoint.ListeningAddress;

        public static async Task<Gateway> StartAsync(Action<GatewayConfig> configure)
        {
            var process = await SingleProcessGateway.StartAsync(configure);
            var metrics = new InstrumentRecorder(process.Services.GetRequiredService<GatewayMetrics>().ConnectionsRefused.Meter);
            return new Gateway(process, new MixNodeStub(), await Bystander.ConnectAsync(process), metrics);
        }

        public Task BystanderStillReceivesAsync() => Bystander.StillReceivesAsync(AckNode);

        public void AssertLogged(string line, int times = 1) => Assert.Equal(times, Process.Logs.Lines.Count(l => l == line));

        public async ValueTask DisposeAsync()
        {
            await BystanderStillReceivesAsync();
            await Bystander.DisposeAsync();
            Metrics.Dispose();
            await AckNode.DisposeAsync();
            await Process.DisposeAsync();
        }
    }

    /// <summary>A connection that the gateway accepted and counted: it is still open a moment later.</summary>
    private static async Task<MixSender> OpenAsync(IPEndPoint port, IPAddress from)
    {
        var connection = await MixSender.ConnectAsync(port, from);
        Assert.False(await connection.IsClosedByPeerAsync(TimeSpan.FromMilliseconds(300)));
        return connection;
    }

    /// <summary>
    /// Whether the gateway closes a new connection from <paramref name="from"/> within <paramref name="within"/>.
    /// A refusal resets the connection at once, and on a busy machine that reset can beat the
    /// completion of the connect itself: that counts as closed too.
    /// </summary>
    private static async Task<bool> ClosedByGatewayAsync(IPEndPoint port, IPAddress? from, TimeSpan within)
    {
        try
        {
            using var connection = await MixSender.ConnectAsync(port, from);
            return await connection.IsClosedByPeerAsync(within);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    [Fact]
    public async Task Mix_connections_past_the_total_limit_are_closed_at_once()
    {
        await using var gateway = await Gateway.StartAsync(c => c.Limits.MaxMixConnections = 3);
        var open = new List<MixSender>();
        for (int i = 0; i < 3; i++)
        {
            open.Add(await OpenAsync(gateway.Process.MixEndPoint, i % 2 == 0 ? Peer : OtherPeer));
        }
        Assert.True(await ClosedByGatewayAsync(gateway.Process.MixEndPoint, OtherPeer, Timeout));
        Assert.True(await ClosedByGatewayAsync(gateway.Process.MixEndPoint, Peer, Timeout));
        Assert.False(await open[0].IsClosedByPeerAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(2, gateway.Metrics["nym.gateway.connections.refused", "listener=mix", "reason=total"]);
        gateway.AssertLogged($"Warning: Refusing mix connection from {OtherPeer}: Total limit of 3 open connections reached");

        open[0].Dispose(); // room for the bystander's sender again
        await SingleProcessGatewayTests.WaitUntilAsync(async () => !await ClosedByGatewayAsync(gateway.Process.MixEndPoint, null, TimeSpan.FromMilliseconds(200)));
        await gateway.BystanderStillReceivesAsync();
        open.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_mix_connection_that_sends_nothing_for_the_idle_timeout_is_closed_a_busy_one_stays()
    {
        // 2 s, ten times the busy sender's period: a loaded machine that stalls the sender for a second does not make it idle.
        await using var gateway = await Gateway.StartAsync(c => c.Limits.MixConnectionIdleTimeout = TimeSpan.FromSeconds(2));
        using var silent = await MixSender.ConnectAsync(gateway.Process.MixEndPoint, Peer);
        using var busy = await MixSender.ConnectAsync(gateway.Process.MixEndPoint, OtherPeer);
        using var stopSending = new CancellationTokenSource();
        var keepBusy = Task.Run(async () =>
        {
            while (!stopSending.IsCancellationRequested)
            {
                // An undecryptable packet (dropped, the connection stays): any frame counts as traffic.
                await busy.SendPacketAsync(new byte[PacketSizes.Ack]);
                await Task.Delay(200);
            }
        });
        Assert.True(await silent.IsClosedByPeerAsync(TimeSpan.FromSeconds(6)));
        await Task.Delay(2500); // more than another idle timeout, sending all along
        Assert.False(await busy.IsClosedByPeerAsync(TimeSpan.FromMilliseconds(100)));
        await stopSending.CancelAsync();
        await keepBusy;
        Assert.Equal(1, gateway.Metrics["nym.gateway.connections.timed_out", "listener=mix"]);
        gateway.AssertLogged($"Information: Closing mix connection from {silent.LocalEndPoint}: nothing received for 00:00:02");
        await gateway.BystanderStillReceivesAsync();
    }

    [Fact]
    public async Task Client_port_connections_count_against_the_limits_before_any_upgrade()
    {
        await using var gateway = await Gateway.StartAsync(c =>
        {
            c.Limits.MaxClientConnectionsPerIp = 2;
            c.Limits.MaxClientConnections = 4; // the bystander's websocket is one of them
        });
        // Bare TCP connections that never send HTTP, each counted (still open a moment later) before the next.
        using var first = await OpenAsync(gateway.ClientsEndPoint, Peer);
        using var second = await OpenAsync(gateway.ClientsEndPoint, Peer);
        Assert.True(await ClosedByGatewayAsync(gateway.ClientsEndPoint, Peer, Timeout));
        using var fourth = await OpenAsync(gateway.ClientsEndPoint, OtherPeer);
        Assert.True(await ClosedByGatewayAsync(gateway.ClientsEndPoint, IPAddress.Parse("127.0.0.4"), Timeout));
        Assert.False(await first.IsClosedByPeerAsync(TimeSpan.FromMilliseconds(200)));

        Assert.Equal(1, gateway.Metrics["nym.gateway.connections.refused", "listener=clients", "reason=per_ip"]);
        Assert.Equal(1, gateway.Metrics["nym.gateway.connections.refused", "listener=clients", "reason=total"]);
        gateway.AssertLogged($"Warning: Refusing client connection from {Peer}: PerIp limit of 2 open connections reached");
        await gateway.BystanderStillReceivesAsync();
    }

    [Fact]
    public async Task A_client_port_connection_without_an_upgrade_request_is_closed_after_the_timeout()
    {
        await using var gateway = await Gateway.StartAsync(c => c.Limits.ClientUpgradeTimeout = TimeSpan.FromMilliseconds(500));
        using var silent = await MixSender.ConnectAsync(gateway.ClientsEndPoint, Peer);
        using var silentToo = await MixSender.ConnectAsync(gateway.ClientsEndPoint, Peer);
        Assert.True(await silent.IsClosedByPeerAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await silentToo.IsClosedByPeerAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, gateway.Metrics["nym.gateway.connections.timed_out", "listener=clients"]);
        // Throttled: the first line of the window, the second one counted for its summary.
        gateway.AssertLogged($"Warning: Closing client connection from {Peer}: no websocket upgrade request within 00:00:00.5000000");
        // The bystander upgraded long before: its websocket outlives the timeout.
        await Task.Delay(700);
        await gateway.BystanderStillReceivesAsync();
    }
}
