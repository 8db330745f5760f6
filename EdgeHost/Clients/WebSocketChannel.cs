using System.Net.WebSockets;
using System.Text;

namespace NymGateway.EdgeHost.Clients;

/// <summary>One received websocket message, whole.</summary>
public readonly record struct ClientFrame(WebSocketMessageType Type, byte[] Data)
{
    public string Text => Encoding.UTF8.GetString(Data);
}

/// <summary>
/// A client's websocket with whole-message receive (bounded in size) and sends serialised by a
/// lock, so responses and pushed messages never interleave.
/// </summary>
public sealed class WebSocketChannel(WebSocket socket, int maxMessageBytes) : IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    /// <summary>The next message, or null when the client closed or the connection broke.</summary>
    public async Task<ClientFrame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(maxMessageBytes, 16 * 1024)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= maxMessageBytes)
                {
                    await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {maxMessageBytes} bytes");
                    return null;
                }
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxMessageBytes));
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "");
                return null;
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                return new ClientFrame(result.MessageType, buffer[..length]);
            }
        }
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    public async Task SendAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(data, type, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a close frame after the send under way (never in the middle of one); a no-op once closing.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _sendLock.WaitAsync(timeout.Token);
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(status, description, timeout.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // already gone
        }
    }

    public void Dispose() => _sendLock.Dispose();
}
