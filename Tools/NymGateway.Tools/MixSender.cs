using System.Net;
using System.Net.Sockets;
using NymGateway.Nym.Framing;

namespace NymGateway.Tools;

/// <summary>A mix node's side of a connection to the gateway's mix port.</summary>
public sealed class MixSender : IDisposable
{
    private readonly TcpClient _client;

    private MixSender(IPAddress? from)
    {
        _client = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
        _client.NoDelay = true;
    }

    /// <param name="from">The local address to connect from (another 127.x address looks like another peer); any when null.</param>
    public static async Task<MixSender> ConnectAsync(IPEndPoint gateway, IPAddress? from = null)
    {
        var sender = new MixSender(from);
        await sender._client.ConnectAsync(gateway);
        return sender;
    }

    public EndPoint? LocalEndPoint => _client.Client.LocalEndPoint;

    public Task SendPacketAsync(byte[] packet, PacketMode mode = PacketMode.Mix) => SendRawAsync(SphinxFrameCodec.Encode(mode, packet));

    public async Task SendRawAsync(byte[] bytes) => await _client.GetStream().WriteAsync(bytes);

    /// <summary>True when the gateway closed the connection within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsClosedByPeerAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var buffer = new byte[1];
            return await _client.GetStream().ReadAsync(buffer, cts.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _client.Dispose();
}
