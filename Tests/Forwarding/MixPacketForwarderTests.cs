using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using NymGateway.EdgeHost.Forwarding;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Tests.EndToEnd;
using NymGateway.Tests.Telemetry;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.Forwarding;

/// <summary>The forwarder's bounds on real loopback sockets: idle hops go away, the hop cap holds, and each drop is counted and logged by reason.</summary>
[Trait("Category", "Unit")]
public sealed class MixPacketForwarderTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly GatewayMetrics _metrics = new();
    private readonly InstrumentRecorder _recorded;
    private readonly RecordingLogger<MixPacketForwarder> _log = new();
    private readonly List<MixNodeStub> _nodes = [];
    private MixPacketForwarder? _forwarder;

    public MixPacketForwarderTests() => _recorded = new InstrumentRecorder(_metrics.ForwardDropped.Meter);

    private MixPacketForwarder Start(Action<ForwarderOptions> configure)
    {
        var options = new ForwarderOptions { PacketForwardingInitialBackoff = TimeSpan.FromMilliseconds(50) };
        configure(options);
        return _forwarder = new MixPacketForwarder(Options.Create(options), _metrics, TimeProvider.System, _log);
    }

    private MixNodeStub Node()
    {
        var node = new MixNodeStub();
        _nodes.Add(node);
        return node;
    }

    private static MixPacket PacketTo(IPEndPoint hop) => new(new NodeAddress(hop), new byte[PacketSizes.Regular], PacketMode.Mix);

    private long Hops => _recorded["nym.gateway.forwarder.hops"];

    private long Dropped(string reason) => _recorded["nym.gateway.forwarder.packets_dropped", $"reason={reason}"];

    [Fact]
    public async Task An_idle_hop_retires_closing_its_connection_and_a_new_packet_starts_it_again()
    {
        var forwarder = Start(o => o.NextHopIdleTimeout = TimeSpan.FromMilliseconds(300));
        var node = Node();

        Assert.True(await forwarder.ForwardAsync(PacketTo(node.EndPoint)));
        await node.ReceiveAsync(Timeout);
        Assert.Equal(1, Hops);
        Assert.Equal(1, node.OpenConnections);

        await SingleProcessGatewayTests.WaitUntilAsync(() => Task.FromResult(Hops == 0 && node.OpenConnections == 0));

        Assert.True(await forwarder.ForwardAsync(PacketTo(node.EndPoint)));
        await node.ReceiveAsync(Timeout);
        Assert.Equal(1, Hops);
        Assert.Equal(0, Dropped("hop_unreachable") + Dropped("queue_full") + Dropped("hop_limit"));
    }

    [Fact]
    public async Task Past_the_hop_cap_packets_for_new_hops_are_dropped_until_one_retires()
    {
        var forwarder = Start(o =>
        {
            o.MaximumNextHops = 2;
            o.NextHopIdleTimeout = TimeSpan.FromMilliseconds(500);
        });
        var (a, b, c) = (Node(), Node(), Node());
        Assert.True(await forwarder.ForwardAsync(PacketTo(a.EndPoint)));
        Assert.True(await forwarder.ForwardAsync(PacketTo(b.EndPoint)));

        Assert.False(await forwarder.ForwardAsync(PacketTo(c.EndPoint)));
        Assert.False(await forwarder.ForwardAsync(PacketTo(c.EndPoint)));
        Assert.Equal(2, Hops);
        Assert.Equal(2, Dropped("hop_limit"));
        // Throttled: one line, then the rest of the window is counted in its summary.
        Assert.Single(_log.Lines, l => l == $"Warning: Dropped 1 packet(s) for mix node {c.EndPoint}: HopLimit");

        // The hops already live keep working meanwhile.
        Assert.True(await forwarder.ForwardAsync(PacketTo(a.EndPoint)));
        await a.ReceiveAsync(Timeout);
        await a.ReceiveAsync(Timeout);
        await b.ReceiveAsync(Timeout);

        await SingleProcessGatewayTests.WaitUntilAsync(() => Task.FromResult(Hops == 0));
        Assert.True(await forwarder.ForwardAsync(PacketTo(c.EndPoint)));
        await c.ReceiveAsync(Timeout);
    }

    [Fact]
    public async Task Packets_for_an_unreachable_hop_are_dropped_as_such_and_others_still_go_out()
    {
        var forwarder = Start(_ => { });
        var closed = new IPEndPoint(IPAddress.Loopback, FreePorts.Take(1)[0]);
        var node = Node();

        Assert.True(await forwarder.ForwardAsync(PacketTo(closed)));
        Assert.True(await forwarder.ForwardAsync(PacketTo(node.EndPoint)));
        await node.ReceiveAsync(Timeout);
        await SingleProcessGatewayTests.WaitUntilAsync(() => Task.FromResult(Dropped("hop_unreachable") == 1));
        Assert.Contains($"Warning: Dropped 1 packet(s) for mix node {closed}: HopUnreachable", _log.Lines);
    }

    [Fact]
    public async Task A_full_queue_makes_the_sender_wait_then_drops_and_stops_waiting_on_a_stuck_hop()
    {
        // A listener whose backlog is full: the forwarder's connect hangs (until its timeout), so its queue of one stays full.
        using var stuck = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        stuck.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        stuck.Listen(0);
        var fillers = new List<TcpClient>();
        for (int i = 0; i < 4; i++)
        {
            var filler = new TcpClient();
            _ = filler.ConnectAsync((IPEndPoint)stuck.LocalEndPoint!);
            fillers.Add(filler);
        }
        await Task.Delay(200);
        var forwarder = Start(o =>
        {
            o.MaximumConnectionBufferSize = 1;
            o.MaximumForwardWait = TimeSpan.FromMilliseconds(300);
            o.InitialConnectionTimeout = TimeSpan.FromSeconds(5);
        });
        var hop = (IPEndPoint)stuck.LocalEndPoint!;

        Assert.True(await forwarder.ForwardAsync(PacketTo(hop)));
        var waited = Stopwatch.StartNew();
        Assert.False(await forwarder.ForwardAsync(PacketTo(hop)));
        Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        waited.Restart();
        Assert.False(await forwarder.ForwardAsync(PacketTo(hop)));
        Assert.InRange(waited.Elapsed, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
        Assert.Equal(2, Dropped("queue_full"));
        fillers.ForEach(f => f.Dispose());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        _recorded.Dispose();
        _metrics.Dispose();
    }
}
