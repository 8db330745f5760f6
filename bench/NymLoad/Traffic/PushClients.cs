using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using NymGateway.Load.Measure;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.Tools;

namespace NymGateway.Load.Traffic;

/// <summary>
/// The clients messages go to, as 0.9.2 clients: registered once (handshake), then connected by
/// authenticating, each booking every message pushed to it; spread round robin over the edges.
/// </summary>
public sealed class PushClients(IReadOnlyList<Uri> clientsUris, IdentityPublicKey gateway, MessageBook book, ErrorCounts errors)
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);
    private readonly List<(IdentityKeyPair Identity, SharedKeys Keys)> _registered = [];
    private readonly List<(TestClient Client, Task Receiving)> _connected = [];
    private volatile bool _closing;

    public IReadOnlyList<byte[]> Addresses => [.. _registered.Select(r => r.Identity.PublicKey.Bytes.ToArray())];

    public async Task RegisterAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var identity = IdentityKeyPair.Generate();
            await using var client = await TestClient.ConnectAsync(clientsUris[i % clientsUris.Count], identity);
            if (await client.RegisterAsync(gateway, Reply) is not ServerResponse.Register { Status: true } || client.Keys is null)
            {
                throw new InvalidOperationException($"client {i + 1} could not register");
            }
            _registered.Add((identity, client.Keys));
        }
    }

    /// <summary>Authenticates every client; from then on each receives what the gateway pushes (its backlog first).</summary>
    public async Task ConnectAsync()
    {
        _closing = false;
        await Task.WhenAll(_registered.Select(async (r, i) =>
        {
            var client = await TestClient.ConnectAsync(clientsUris[i % clientsUris.Count], r.Identity);
            if (await client.AuthenticateAsync(r.Keys, Reply) is not ServerResponse.Authenticate { Status: true })
            {
                errors.Add(ErrorKind.HandshakeFailed);
                await client.DisposeAsync();
                return;
            }
            var receiving = Task.Run(() => ReceiveAsync(client));
            lock (_connected)
            {
                _connected.Add((client, receiving));
            }
        }));
    }

    private async Task ReceiveAsync(TestClient client)
    {
        while (true)
        {
            byte[] message;
            try
            {
                message = await client.ReceivePushAsync(Timeout.InfiniteTimeSpan);
            }
            catch (ChannelClosedException)
            {
                if (!_closing)
                {
                    errors.Add(ErrorKind.WebSocketClosed);
                }
                return;
            }
            catch (InvalidDataException)
            {
                errors.Add(ErrorKind.PushesUnknown); // did not decrypt with the client's keys
                continue;
            }
            book.MarkPushed(FramePool.NumberOf(message));
        }
    }

    /// <summary>Closes every websocket (with a close frame).</summary>
    public async Task DisconnectAsync()
    {
        _closing = true;
        foreach (var (client, receiving) in _connected)
        {
            try
            {
                await client.DisposeAsync();
                await receiving;
            }
            catch (Exception ex) when (ex is WebSocketException or SocketException)
            {
            }
        }
        _connected.Clear();
    }
}
