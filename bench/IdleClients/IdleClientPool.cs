using System.Net;
using System.Net.Sockets;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.Tools;

namespace NymGateway.IdleClients;

/// <summary>
/// The benchmark's clients: registered once (their keys kept in a file, as a 0.9.2 client keeps
/// them), then connected and authenticated all together, and dropped all together. Connections
/// come from several loopback addresses (127.0.0.2, .3, ...; at most <see cref="ConnectionsPerAddress"/>
/// each), so the ephemeral ports of one address never run out.
/// </summary>
internal sealed class IdleClientPool : IDisposable
{
    private const int ConnectionsPerAddress = 10_000;
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<(byte[] Secret, SharedKeys Keys)> _clients;
    private readonly HttpMessageInvoker[] _sources;
    private TestClient[] _connected = [];

    private IdleClientPool(IReadOnlyList<(byte[] Secret, SharedKeys Keys)> clients)
    {
        _clients = clients;
        _sources = Sources(clients.Count);
    }

    /// <summary>The clients (their secret identity keys and shared keys) <see cref="RegisterAsync"/> saved in <paramref name="keysFile"/>.</summary>
    public static async Task<IdleClientPool> LoadAsync(string keysFile) =>
        new([.. (await File.ReadAllLinesAsync(keysFile)).Select(Parse)]);

    /// <summary>Registers <paramref name="count"/> new clients through <paramref name="gateway"/> (the 0.9.2 handshake) and saves their keys.</summary>
    public static async Task RegisterAsync(Uri gateway, IdentityPublicKey identity, int count, int parallel, string keysFile)
    {
        var registered = new (byte[] Secret, SharedKeys Keys)[count];
        var sources = Sources(count);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
        {
            using var key = IdentityKeyPair.Generate();
            await using var client = await ConnectAsync(sources, gateway, key, i);
            var response = await client.RegisterAsync(identity, ResponseTimeout);
            registered[i] = response is ServerResponse.Register { Status: true }
                ? (key.Secret, client.Keys!)
                : throw new InvalidOperationException($"client {i} could not register: {response}");
        });
        Array.ForEach(sources, s => s.Dispose());
        await File.WriteAllLinesAsync(keysFile, registered.Select(c => $"{Convert.ToBase64String(c.Secret)} {Convert.ToBase64String(c.Keys.Bytes)}"));
    }

    public int Count => _clients.Count;

    /// <summary>Opens and authenticates every client; they stay connected and idle.</summary>
    public async Task ConnectAllAsync(Uri gateway, int parallel)
    {
        var connected = new TestClient[_clients.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, _clients.Count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
        {
            var client = await ConnectAsync(_sources, gateway, IdentityKeyPair.FromSecret(_clients[i].Secret), i);
            var response = await client.AuthenticateAsync(_clients[i].Keys, ResponseTimeout);
            // Authenticating needs the address only: libsodium's guarded key memory costs 3 memory maps a key, and
            // 20,000 held keys would come near the kernel's limit of 65,530 maps per process.
            client.Identity.Dispose();
            connected[i] = response is ServerResponse.Authenticate { Status: true }
                ? client
                : throw new InvalidOperationException($"client {i} could not authenticate: {response}");
        });
        _connected = connected;
    }

    /// <summary>The storm: every client closes at once.</summary>
    public async Task DisconnectAllAsync()
    {
        await Task.WhenAll(_connected.Select(c => c.DisposeAsync().AsTask()));
        _connected = [];
    }

    public void Dispose()
    {
        Array.ForEach(_sources, s => s.Dispose());
    }

    private static Task<TestClient> ConnectAsync(HttpMessageInvoker[] sources, Uri gateway, IdentityKeyPair identity, int index) =>
        TestClient.ConnectAsync(gateway, identity, sources[index % sources.Length]);

    private static HttpMessageInvoker[] Sources(int connections) => [.. Enumerable.Range(0, connections / ConnectionsPerAddress + 1).Select(From)];

    private static (byte[], SharedKeys) Parse(string line)
    {
        var fields = line.Split(' ');
        return (Convert.FromBase64String(fields[0]), SharedKeys.FromBytes(Convert.FromBase64String(fields[1])));
    }

    /// <summary>Connections bound to 127.0.0.(2 + <paramref name="source"/>).</summary>
    private static HttpMessageInvoker From(int source)
    {
        var local = new IPEndPoint(new IPAddress([127, 0, 0, (byte)(2 + source)]), 0);
        return new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(local);
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });
    }
}
