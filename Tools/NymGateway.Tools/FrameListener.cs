using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using NymGateway.Nym.Framing;

namespace NymGateway.Tools;

/// <summary>
/// A TCP listener that decodes framed Sphinx packets on every connection it accepts and hands
/// each frame to a callback; a connection that sends a bad frame is reported and closed.
/// </summary>
public sealed class FrameListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<SphinxFrame, ValueTask> _onFrame;
    private readonly Action<EndPoint?, FrameError>? _onBadFrame;
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;
    private int _connections;

    /// <param name="onFrame">Called in order for the frames of one connection; the frame's bytes are valid only during the call.</param>
    public FrameListener(IPEndPoint endPoint, Func<SphinxFrame, ValueTask> onFrame, Action<EndPoint?, FrameError>? onBadFrame = null)
    {
        _listener = new TcpListener(endPoint);
        _onFrame = onFrame;
        _onBadFrame = onBadFrame;
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref _connections);

    public void Start()
    {
        _listener.Start();
        _accepting = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                _ = Task.Run(() => ReadAsync(socket));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadAsync(Socket socket)
    {
        using var connection = socket;
        Interlocked.Increment(ref _connections);
        var reader = PipeReader.Create(new NetworkStream(socket));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                FrameStatus status;
                FrameError error;
                while ((status = SphinxFrameCodec.TryDecode(ref buffer, out var frame, out error)) == FrameStatus.Frame)
                {
                    await _onFrame(frame);
                }
                if (status == FrameStatus.Error)
                {
                    _onBadFrame?.Invoke(socket.RemoteEndPoint, error);
                    return;
                }
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
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
