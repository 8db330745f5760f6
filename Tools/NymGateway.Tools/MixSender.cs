using System.Net;
using System.Net.Sockets;
using NymGateway.Nym.Framing;

namespace NymGateway.Tools;

/// <summary>A mix node's side of a connection to the gateway's mix port.</summary>
public sealed class MixSender : IDisposable
{
    private readonly TcpClient _client = new() { NoDelay = true };

    private MixSender()
    {
    }

    public static async Task<MixSender> ConnectAsync(IPEndPoint gateway)
    {
        var sender = new MixSender();
        await sender._client.ConnectAsync(gateway);
        return sender;
    }

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
