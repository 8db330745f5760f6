using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using NymGateway.Fleet;
using NymGateway.Nym.Framing;

namespace NymGateway.ScaleOut;

/// <summary>
/// The SURB-ACKs' first hop, on the driver's host: counts the ACK frames each edge forwards. An edge
/// forwards a message's SURB-ACK only after the message is stored, so the count is the stored rate.
/// </summary>
internal sealed class AckCounter : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IPAddress, StrongBox<long>> _byEdge = new();
    private readonly ConcurrentBag<Task> _readers = [];
    private readonly Task _accepting;

    public AckCounter(FleetHost host, int port)
    {
        _listener = host.Inside(() => new TcpListener(host.Address, port));
        _listener.Start();
        EndPoint = new IPEndPoint(host.Address, port);
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>ACKs received so far, by the address of the edge that sent them.</summary>
    public IReadOnlyDictionary<IPAddress, long> ByEdge() => _byEdge.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value));

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                var count = _byEdge.GetOrAdd(((IPEndPoint)socket.RemoteEndPoint!).Address, _ => new StrongBox<long>());
                _readers.Add(Task.Run(() => CountAsync(socket, count)));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
        }
    }

    private async Task CountAsync(Socket socket, StrongBox<long> count)
    {
        using var connection = socket;
        var reader = PipeReader.Create(new NetworkStream(socket));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                long frames = 0;
                while (SphinxFrameCodec.TryDecode(ref buffer, out _, out _) == FrameStatus.Frame)
                {
                    frames++;
                }
                Interlocked.Add(ref count.Value, frames);
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_readers);
        _stop.Dispose();
    }
}
