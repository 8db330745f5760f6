using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NymGateway.Fleet;

/// <summary>
/// A TCP load balancer on a fleet host: accepts on the host's address and a port, and pipes each
/// connection to the next backend in turn (round robin), recording which one it chose.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly FleetHost _host;
    private readonly TcpListener _listener;
    private readonly IPEndPoint[] _backends;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _pipes = [];
    private readonly ConcurrentQueue<IPEndPoint> _chosen = new();
    private readonly Task _accepting;

    private TcpRelay(FleetHost host, int port, IPEndPoint[] backends)
    {
        _host = host;
        _backends = backends;
        _listener = host.Inside(() => new TcpListener(host.Address, port));
        _listener.Start();
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public static TcpRelay Start(FleetHost host, int port, params IPEndPoint[] backends) => new(host, port, backends);

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
            var copies = new[] { client.CopyToAsync(server, _stop.Token), server.CopyToAsync(client, _stop.Token) };
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_pipes);
        _stop.Dispose();
    }
}
