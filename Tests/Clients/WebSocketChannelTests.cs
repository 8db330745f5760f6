using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using NymGateway.EdgeHost.Clients;
using Xunit;

namespace NymGateway.Tests.Clients;

/// <summary>The channel's pooled whole-message receive, against a real websocket pair over loopback TCP.</summary>
[Trait("Category", "Unit")]
public sealed class WebSocketChannelTests : IAsyncLifetime
{
    private const int MaxMessageBytes = 40_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly CountingPool _buffers = new();
    private WebSocket _client = null!;
    private WebSocket _server = null!;
    private WebSocketChannel _channel = null!;

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connecting = new TcpClient();
        await connecting.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var accepted = await listener.AcceptTcpClientAsync();
        listener.Stop();
        _client = WebSocket.CreateFromStream(connecting.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: System.Threading.Timeout.InfiniteTimeSpan);
        _server = WebSocket.CreateFromStream(accepted.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: System.Threading.Timeout.InfiniteTimeSpan);
        _channel = new WebSocketChannel(_server, MaxMessageBytes, _buffers);
    }

    public Task DisposeAsync()
    {
        _channel.Dispose();
        _client.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_message_larger_than_the_first_buffer_arrives_whole_in_an_array_of_its_own_length()
    {
        var message = Bytes(WebSocketChannel.FirstBufferBytes * 2 + 123);
        await _client.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        var frame = await ReceiveAsync();

        Assert.Equal(WebSocketMessageType.Binary, frame!.Value.Type);
        Assert.Equal(message, frame.Value.Data);
    }

    [Fact]
    public async Task A_message_sent_in_pieces_arrives_whole_and_the_next_one_after_it_separately()
    {
        var message = Bytes(30_000);
        var receiving = ReceiveAsync();
        foreach (var piece in message.Chunk(7_000))
        {
            await _client.SendAsync(piece, WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
            await Task.Delay(20);
        }
        await _client.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        await _client.SendAsync("{\"type\":\"next\"}"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        Assert.Equal(message, (await receiving)!.Value.Data);
        var next = await ReceiveAsync();
        Assert.Equal((WebSocketMessageType.Text, "{\"type\":\"next\"}"), (next!.Value.Type, next.Value.Text));
    }

    [Fact]
    public async Task An_empty_message_arrives_empty()
    {
        await _client.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        var frame = await ReceiveAsync();

        Assert.Equal((WebSocketMessageType.Text, 0), (frame!.Value.Type, frame.Value.Data.Length));
    }

    [Fact]
    public async Task A_close_in_the_middle_of_a_message_ends_the_receive_and_is_answered()
    {
        await _client.SendAsync(Bytes(WebSocketChannel.FirstBufferBytes + 10), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        await _client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        Assert.Null(await ReceiveAsync());
        var answer = await _client.ReceiveAsync(new byte[16], new CancellationTokenSource(Timeout).Token);
        Assert.Equal((WebSocketMessageType.Close, WebSocketCloseStatus.NormalClosure), (answer.MessageType, answer.CloseStatus));
    }

    [Fact]
    public async Task A_connection_broken_in_the_middle_of_a_message_fails_the_receive()
    {
        await _client.SendAsync(Bytes(1000), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        var receiving = ReceiveAsync();
        await Task.Delay(50);
        _client.Abort();
        _client.Dispose();

        await Assert.ThrowsAnyAsync<WebSocketException>(() => receiving);
        Assert.Equal((1, 0), (_buffers.Rented, _buffers.Outstanding));
    }

    [Fact]
    public async Task A_message_of_the_limit_is_accepted_and_one_byte_more_is_closed_with_message_too_big()
    {
        await _client.SendAsync(Bytes(MaxMessageBytes), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        Assert.Equal(MaxMessageBytes, (await ReceiveAsync())!.Value.Data.Length);

        var sending = _client.SendAsync(Bytes(MaxMessageBytes + 1), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        Assert.Null(await ReceiveAsync());
        await sending;
        var answer = await _client.ReceiveAsync(new byte[256], new CancellationTokenSource(Timeout).Token);
        Assert.Equal((WebSocketMessageType.Close, WebSocketCloseStatus.MessageTooBig), (answer.MessageType, answer.CloseStatus));
    }

    [Fact]
    public async Task A_waiting_receive_holds_no_buffer_and_one_message_holds_buffers_only_until_it_is_whole()
    {
        var receiving = ReceiveAsync();
        await Task.Delay(100);
        Assert.Equal((false, 0, 0), (receiving.IsCompleted, _buffers.Outstanding, _buffers.Rented));

        var message = Bytes(WebSocketChannel.FirstBufferBytes * 2);
        await _client.SendAsync(message.AsMemory(0, 1000), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        // Until the part arrives (a fixed 100 ms was too short on a loaded machine).
        for (var deadline = DateTime.UtcNow + Timeout; _buffers.Outstanding == 0 && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(10);
        }
        Assert.Equal((false, 1), (receiving.IsCompleted, _buffers.Outstanding));

        await _client.SendAsync(message.AsMemory(1000), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        Assert.Equal(message, (await receiving)!.Value.Data);
        Assert.Equal(0, _buffers.Outstanding);

        var next = ReceiveAsync();
        await Task.Delay(100);
        Assert.Equal((false, 0), (next.IsCompleted, _buffers.Outstanding));
    }

    [Fact]
    public async Task Buffers_go_back_to_the_pool_after_a_message_too_big()
    {
        var sending = _client.SendAsync(Bytes(MaxMessageBytes + 1), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        Assert.Null(await ReceiveAsync());
        await sending;
        Assert.Equal(0, _buffers.Outstanding);
        Assert.True(_buffers.Rented >= 2, $"a message past the first buffer grows into a second one ({_buffers.Rented} rented)");
    }

    private async Task<ClientFrame?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await _channel.ReceiveAsync(timeout.Token);
    }

    /// <summary>The shared pool, counting what is rented and not yet returned.</summary>
    private sealed class CountingPool : ArrayPool<byte>
    {
        private int _outstanding;
        private int _rented;

        public int Outstanding => Volatile.Read(ref _outstanding);
        public int Rented => Volatile.Read(ref _rented);

        public override byte[] Rent(int minimumLength)
        {
            Interlocked.Increment(ref _rented);
            Interlocked.Increment(ref _outstanding);
            return Shared.Rent(minimumLength);
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            Interlocked.Decrement(ref _outstanding);
            Shared.Return(array, clearArray);
        }
    }

    private static byte[] Bytes(int count) => [.. Enumerable.Range(0, count).Select(i => (byte)(i * 7 + i / 256))];
}
