using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NymGateway.Tests.Fuzz;

/// <summary>A TCP connection that performs the websocket upgrade by hand, so a test can then send frames no websocket client would.</summary>
public static class RawWebSocket
{
    /// <summary>Upgrades, sends <paramref name="frames"/>, half-closes, and reports whether the gateway closed the connection within <paramref name="timeout"/>.</summary>
    public static async Task<bool> SendAndSeeClosedAsync(IPEndPoint gateway, byte[] frames, TimeSpan timeout)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(gateway, deadline.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                "GET / HTTP/1.1\r\nHost: gateway\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"), deadline.Token);
            var buffer = new byte[4096];
            var response = new StringBuilder();
            while (!response.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int read = await socket.ReceiveAsync(buffer, deadline.Token);
                if (read == 0)
                {
                    return true;
                }
                response.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            await socket.SendAsync(frames, deadline.Token);
            socket.Shutdown(SocketShutdown.Send);
            // Whatever the gateway answers (a close frame, an error), it must end the connection.
            while (await socket.ReceiveAsync(buffer, deadline.Token) > 0)
            {
            }
            return true;
        }
        catch (SocketException)
        {
            return true; // reset by the gateway
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
