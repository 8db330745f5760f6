using System.Net;
using System.Net.Sockets;
using NymGateway.Fleet;

namespace NymGateway.ScaleOut;

/// <summary>
/// Mix nodes on the driver's host: TCP connections spread round robin over the edges (as DNS or a
/// balancer would), each writing pre-built frames as fast as the edge reads them, so the edges'
/// back-pressure, not the driver, sets the rate.
/// </summary>
internal sealed class LoadDriver : IAsyncDisposable
{
    // Small, so few frames wait in the driver's socket buffers (the edge's own buffers take about 2 MB a connection).
    private const int SendBuffer = 128 * 1024;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets;
    private readonly List<Task> _senders;

    private LoadDriver(List<Socket> sockets, FramePool pool)
    {
        _sockets = sockets;
        _senders = [.. sockets.Select(s => Task.Run(() => SendAsync(s, pool)))];
    }

    public static async Task<LoadDriver> StartAsync(FleetHost from, IReadOnlyList<IPEndPoint> edges, int connectionsPerEdge, FramePool pool)
    {
        var sockets = new List<Socket>();
        foreach (var edge in Enumerable.Range(0, connectionsPerEdge * edges.Count).Select(c => edges[c % edges.Count]))
        {
            var socket = from.Inside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendBufferSize = SendBuffer });
            sockets.Add(socket);
            await socket.ConnectAsync(edge);
        }
        return new LoadDriver(sockets, pool);
    }

    private async Task SendAsync(Socket socket, FramePool pool)
    {
        try
        {
            while (!_stop.IsCancellationRequested && pool.Next() is { } chunk)
            {
                await socket.SendAsync(chunk, SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
        await Task.WhenAll(_senders);
        _stop.Dispose();
    }
}
