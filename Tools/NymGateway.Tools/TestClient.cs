using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using NymGateway.Nym.Encoding;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;

namespace NymGateway.Tools;

/// <summary>
/// A 0.9.2-style gateway client over a real websocket: registers (handshake) or authenticates,
/// sends ForwardSphinx requests and collects pushed messages. For tests and load runs.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<string> _texts = Channel.CreateUnbounded<string>();
    private readonly Channel<byte[]> _binaries = Channel.CreateUnbounded<byte[]>();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiving = Task.CompletedTask;

    private TestClient(IdentityKeyPair identity) => Identity = identity;

    public IdentityKeyPair Identity { get; }
    public SharedKeys? Keys { get; private set; }
    public string Address => Identity.PublicKey.ToBase58();
    public byte[] AddressBytes => Identity.PublicKey.Bytes.ToArray();
    public bool IsClosed => _socket.State != WebSocketState.Open;

    /// <param name="invoker">Opens the connection instead of the default handler (the fleet tests' opens it in the client host's network namespace).</param>
    public static async Task<TestClient> ConnectAsync(Uri gateway, IdentityKeyPair? identity = null, HttpMessageInvoker? invoker = null, CancellationToken cancellationToken = default)
    {
        var client = new TestClient(identity ?? IdentityKeyPair.Generate());
        await client._socket.ConnectAsync(gateway, invoker, cancellationToken);
        client._receiving = Task.Run(client.ReceiveLoopAsync, CancellationToken.None);
        return client;
    }

    /// <summary>Registers with the handshake; returns the gateway's final response.</summary>
    public async Task<ServerResponse> RegisterAsync(IdentityPublicKey gateway, TimeSpan timeout)
    {
        var handshake = new ClientHandshake(Identity, gateway);
        await SendTextAsync(handshake.Start());
        while (true)
        {
            var text = await ReceiveTextAsync(timeout);
            if (GatewayJson.TryParseServerResponse(text, out var response))
            {
                return response;
            }
            var step = handshake.Receive(text);
            if (step.Send is not null)
            {
                await SendTextAsync(step.Send);
            }
            if (step.Keys is not null)
            {
                Keys = step.Keys;
            }
        }
    }

    /// <summary>Authenticates with keys from an earlier registration.</summary>
    public async Task<ServerResponse> AuthenticateAsync(SharedKeys keys, TimeSpan timeout)
    {
        var iv = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Authentication.IvSize);
        var encrypted = Authentication.EncryptAddress(keys, AddressBytes, iv);
        await SendTextAsync(GatewayJson.Serialize(new ClientControlRequest.Authenticate(
            Address, Base58Text.Encode(encrypted), Base58Text.Encode(iv))));
        var response = await ReceiveResponseAsync(timeout);
        if (response is ServerResponse.Authenticate { Status: true })
        {
            Keys = keys;
        }
        return response;
    }

    public async Task<ServerResponse> ForwardAsync(MixPacket packet, TimeSpan timeout)
    {
        await SendBinaryAsync(BinaryMessages.SealForwardSphinx(Keys!, packet));
        return await ReceiveResponseAsync(timeout);
    }

    /// <summary>The next pushed message, decrypted and checked.</summary>
    public async Task<byte[]> ReceivePushAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var data = await _binaries.Reader.ReadAsync(cts.Token);
        if (!BinaryMessages.TryOpenPushedMessage(Keys!, data, out var message, out var error))
        {
            throw new InvalidDataException($"pushed message did not open: {error}");
        }
        return message.ToArray();
    }

    /// <summary>Whether a pushed message arrives within <paramref name="timeout"/> (without consuming it if none).</summary>
    public async Task<bool> HasPushWithinAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _binaries.Reader.WaitToReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task<ServerResponse> ReceiveResponseAsync(TimeSpan timeout)
    {
        var text = await ReceiveTextAsync(timeout);
        return GatewayJson.TryParseServerResponse(text, out var response)
            ? response
            : throw new InvalidDataException($"not a server response: {text}");
    }

    public async Task<string> ReceiveTextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _texts.Reader.ReadAsync(cts.Token);
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBinaryAsync(byte[] data) => SendAsync(data, WebSocketMessageType.Binary);

    /// <summary>Completes when the gateway closed the connection.</summary>
    public Task Closed => _receiving;

    /// <summary>The status of the gateway's close frame, once one arrived.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    private async Task SendAsync(byte[] data, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(data, type, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[128 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                switch (result.MessageType)
                {
                    case WebSocketMessageType.Text:
                        await _texts.Writer.WriteAsync(Encoding.UTF8.GetString(buffer, 0, length));
                        break;
                    case WebSocketMessageType.Binary:
                        await _binaries.Writer.WriteAsync(buffer[..length]);
                        break;
                    default:
                        // Answer the gateway's close frame, as 0.9.2's client (tungstenite) does.
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        return;
                }
            }
        }
        catch (WebSocketException)
        {
            // connection gone
        }
        finally
        {
            _texts.Writer.TryComplete();
            _binaries.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // already gone
        }
        _socket.Dispose();
        _sendLock.Dispose();
    }
}
