using System.Net;
using System.Net.Sockets;

namespace NymGateway.LoadTest;

/// <summary>Accepts connections and throws their bytes away: the SURB-ACKs' first hop during a load run.</summary>
internal sealed class DiscardListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public DiscardListener()
    {
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync();
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    var buffer = new byte[64 * 1024];
                    using (socket)
                    {
                        try
                        {
                            while (await socket.ReceiveAsync(buffer) > 0)
                            {
                            }
                        }
                        catch (SocketException)
                        {
                        }
                    }
                });
            }
        });
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public void Dispose() => _listener.Stop();
}
