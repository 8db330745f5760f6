using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace NymGateway.EdgeHost.Clients;

/// <summary>One received websocket message, whole (its own array of exactly its length).</summary>
public readonly record struct ClientFrame(WebSocketMessageType Type, byte[] Data)
{
    public string Text => Encoding.UTF8.GetString(Data);
}

/// <summary>
/// A client's websocket with whole-message receive (bounded in size) and sends serialised by a
/// lock, so responses and pushed messages never interleave.
/// </summary>
/// <param name="buffers">Where receive buffers come from (the shared pool unless a test counts them).</param>
public sealed class WebSocketChannel(WebSocket socket, int maxMessageBytes, ArrayPool<byte>? buffers = null) : IDisposable
{
    private readonly ArrayPool<byte> _buffers = buffers ?? ArrayPool<byte>.Shared;

    /// <summary>What a message is first read into; a larger one moves to a buffer twice the size, up to the limit.</summary>
    public const int FirstBufferBytes = 16 * 1024;

    private readonly SemaphoreSlim _sendLock = new(1, 1);

    /// <summary>The next message, or null when the client closed or the connection broke.</summary>
    /// <remarks>
    /// An idle client's receive waits with an empty buffer, so it holds no memory; the message is
    /// then read into pooled buffers that go back to the pool before this returns.
    /// </remarks>
    public async Task<ClientFrame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var result = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "");
            return null;
        }
        if (result.EndOfMessage)
        {
            return new ClientFrame(result.MessageType, []);
        }
        var buffer = _buffers.Rent(Math.Min(maxMessageBytes, FirstBufferBytes));
        try
        {
            int length = 0;
            while (true)
            {
                int room = Math.Min(buffer.Length, maxMessageBytes);
                if (length == room)
                {
                    if (room == maxMessageBytes)
                    {
                        await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {maxMessageBytes} bytes");
                        return null;
                    }
                    buffer = Grow(buffer, length, Math.Min(room * 2, maxMessageBytes));
                    room = Math.Min(buffer.Length, maxMessageBytes);
                }
                result = await socket.ReceiveAsync(buffer.AsMemory(length, room - length), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, "");
                    return null;
                }
                length += result.Count;
                if (result.EndOfMessage)
                {
                    return new ClientFrame(result.MessageType, buffer.AsSpan(0, length).ToArray());
                }
            }
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    /// <summary>A pooled buffer of at least <paramref name="size"/> bytes holding the first <paramref name="length"/> of <paramref name="buffer"/>, which goes back to the pool.</summary>
    private byte[] Grow(byte[] buffer, int length, int size)
    {
        var larger = _buffers.Rent(size);
        buffer.AsSpan(0, length).CopyTo(larger);
        _buffers.Return(buffer);
        return larger;
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
