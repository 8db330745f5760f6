using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using NymGateway.Nym.Framing;

namespace NymGateway.Tools;

/// <summary>A local TCP listener standing in for a mix node: records every frame it receives.</summary>
public sealed class MixNodeStub : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Channel<(PacketSize Size, PacketMode Mode, byte[] Packet)> _frames = Channel.CreateUnbounded<(PacketSize, PacketMode, byte[])>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    /// <param name="address">Where to listen (any free port); loopback unless given.</param>
    public MixNodeStub(IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections open to this node now (the forwarder's hops that reached it and have not closed).</summary>
    public int OpenConnections => Volatile.Read(ref _connections);

    public async Task<(PacketSize Size, PacketMode Mode, byte[] Packet)> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _frames.Reader.ReadAsync(cts.Token);
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
                while (SphinxFrameCodec.TryDecode(ref buffer, out var frame, out _) == FrameStatus.Frame)
                {
                    await _frames.Writer.WriteAsync((frame.Size, frame.Mode, frame.Packet.ToArray()));
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
