using System.Buffers;
using System.Net;
using System.Threading.Channels;
using NymGateway.Nym.Framing;

namespace NymGateway.Tools;

/// <summary>A local TCP listener standing in for a mix node: records every frame it receives.</summary>
public sealed class MixNodeStub : IAsyncDisposable
{
    private readonly FrameListener _listener;
    private readonly Channel<(PacketSize Size, PacketMode Mode, byte[] Packet)> _frames = Channel.CreateUnbounded<(PacketSize, PacketMode, byte[])>();

    /// <param name="address">Where to listen (any free port); loopback unless given.</param>
    public MixNodeStub(IPAddress? address = null)
    {
        _listener = new FrameListener(new IPEndPoint(address ?? IPAddress.Loopback, 0),
            frame => _frames.Writer.WriteAsync((frame.Size, frame.Mode, frame.Packet.ToArray())));
        _listener.Start();
    }

    public IPEndPoint EndPoint => _listener.EndPoint;

    /// <summary>Connections open to this node now (the forwarder's hops that reached it and have not closed).</summary>
    public int OpenConnections => _listener.OpenConnections;

    public async Task<(PacketSize Size, PacketMode Mode, byte[] Packet)> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _frames.Reader.ReadAsync(cts.Token);
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
