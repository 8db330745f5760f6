using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace NymGateway.Fleet;

/// <summary>
/// A TCP load balancer on a fleet host: accepts on the host's address and a port, and pipes each
/// connection to the next backend in turn (round robin), recording which one it chose. Given a
/// <see cref="LinkImpairment"/>, it is a slow, lossy link instead of a clean one.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly FleetHost _host;
    private readonly TcpListener _listener;
    private readonly IPEndPoint[] _backends;
    private readonly LinkImpairment? _impairment;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _pipes = [];
    private readonly ConcurrentQueue<IPEndPoint> _chosen = new();
    private readonly Task _accepting;

    private TcpRelay(FleetHost host, int port, IPEndPoint[] backends, LinkImpairment? impairment)
    {
        _host = host;
        _backends = backends;
        _impairment = impairment;
        _listener = host.Inside(() => new TcpListener(host.Address, port));
        _listener.Start();
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public static TcpRelay Start(FleetHost host, int port, params IPEndPoint[] backends) => new(host, port, backends, null);

    /// <summary>A relay whose every byte, both ways, crosses a link with <paramref name="impairment"/>.</summary>
    public static TcpRelay StartImpaired(FleetHost host, int port, LinkImpairment impairment, params IPEndPoint[] backends) => new(host, port, backends, impairment);

    /// <summary>The backend of each connection so far, in the order they came.</summary>
    public IReadOnlyList<IPEndPoint> Chosen => [.. _chosen];

    private async Task AcceptLoopAsync()
    {
        try
        {
            for (int next = 0; ; next++)
            {
                var inbound = await _listener.AcceptSocketAsync(_stop.Token);
                var backend = _backends[next % _backends.Length];
                _chosen.Enqueue(backend);
                _pipes.Add(RelayAsync(inbound, backend));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RelayAsync(Socket inbound, IPEndPoint backend)
    {
        using var outbound = _host.Inside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });
        using (inbound)
        {
            try
            {
                await outbound.ConnectAsync(backend, _stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                return; // as a balancer does with a dead backend: the client sees its connection close
            }
            using var client = new NetworkStream(inbound);
            using var server = new NetworkStream(outbound);
            var copies = new[] { CopyAsync(client, server), CopyAsync(server, client) };
            await Task.WhenAny(copies);
            // One side closed: close both (no half-close), which ends the other copy too.
            inbound.Close();
            outbound.Close();
            try
            {
                await Task.WhenAll(copies);
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private Task CopyAsync(NetworkStream from, NetworkStream to) =>
        _impairment is { } link ? CopyImpairedAsync(from, to, link, _stop.Token) : from.CopyToAsync(to, _stop.Token);

    /// <summary>
    /// Holds each chunk for the link's delay; a lost one (chance <see cref="LinkImpairment.LossRate"/>)
    /// arrives a retransmission timeout later and holds back what follows, as TCP recovers a lost segment.
    /// </summary>
    private static async Task CopyImpairedAsync(NetworkStream from, NetworkStream to, LinkImpairment link, CancellationToken stop)
    {
        var chunks = Channel.CreateUnbounded<(long Due, byte[] Bytes)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writing = Task.Run(async () =>
        {
            await foreach (var (due, bytes) in chunks.Reader.ReadAllAsync(stop))
            {
                var wait = due - Environment.TickCount64;
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), stop);
                }
                await to.WriteAsync(bytes, stop);
            }
        }, stop);
        var buffer = new byte[64 * 1024];
        long lastDue = 0;
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, stop)) > 0)
            {
                var delay = link.Delay + (Random.Shared.NextDouble() < link.LossRate ? LinkImpairment.RetransmissionTimeout : TimeSpan.Zero);
                lastDue = Math.Max(lastDue, Environment.TickCount64 + (long)delay.TotalMilliseconds);
                chunks.Writer.TryWrite((lastDue, buffer[..read]));
            }
        }
        finally
        {
            chunks.Writer.TryComplete();
        }
        await writing;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_pipes);
        _stop.Dispose();
    }
}
