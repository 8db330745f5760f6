using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using NymGateway.Nym.Chunking;
using NymGateway.Nym.Encoding;
using NymGateway.Nym.Keys;

namespace NymGateway.Mixnet.Localnet;

/// <summary>
/// A whole mixnet on loopback: the gateway (processes), three mix nodes, one per layer, and two
/// clients, alice and bob (in this process). The topology goes to a file for nym-client.
/// </summary>
public sealed class Localnet : IAsyncDisposable
{
    private readonly List<MixNode> _mixNodes = [];
    private readonly List<MixnetClient> _clients = [];
    private LocalGateway? _gateway;

    private Localnet(string topologyFile) => TopologyFile = topologyFile;

    public LocalGateway Gateway => _gateway!;
    public IReadOnlyList<MixNode> MixNodes => _mixNodes;
    public MixnetClient Alice => _clients[0];
    public MixnetClient Bob => _clients[1];
    public string TopologyFile { get; }

    public static async Task<Localnet> StartAsync(LocalnetOptions options, ILoggerFactory loggers)
    {
        if (Directory.Exists(options.Directory))
        {
            Directory.Delete(options.Directory, recursive: true);
        }
        Directory.CreateDirectory(options.Directory);
        var net = new Localnet(Path.Combine(options.Directory, "topology.json"));
        try
        {
            net._gateway = await LocalGateway.StartAsync(options);
            var mixNodes = new List<TopologyMixNode>();
            for (int layer = 1; layer <= Topology.Layers; layer++)
            {
                var key = EncryptionKeyPair.Generate();
                var node = new MixNode(new MixNodeOptions(new IPEndPoint(IPAddress.Loopback, 0), key.Secret, options.MaxDelay,
                    layer == 1 ? options.DropAckPackets : 0), loggers.CreateLogger<MixNode>());
                net._mixNodes.Add(node);
                node.Start();
                mixNodes.Add(new TopologyMixNode(layer, $"{node.EndPoint}", Base58Text.Encode(key.PublicKey)));
            }
            var gateway = net.Gateway;
            var topology = new Topology(mixNodes, [new TopologyGateway(gateway.Identity.ToBase58(), Base58Text.Encode(gateway.SphinxKey),
                $"{gateway.Mix}", $"{gateway.ClientsAddresses[0]}")]);
            topology.Save(net.TopologyFile);

            // bob on the last edge: in a cluster the message crosses from one edge to the other.
            foreach (var (name, edge) in new[] { ("alice", gateway.ClientsAddresses[0]), ("bob", gateway.ClientsAddresses[^1]) })
            {
                var keys = ClientKeys.Generate();
                var client = await MixnetClient.ConnectAsync(keys, gateway.Identity, topology, options.Client, loggers.CreateLogger<MixnetClient>(), edge);
                keys.Save(Path.Combine(options.Directory, ".nym", "clients", name, "data"));
                net._clients.Add(client);
            }
        }
        catch
        {
            await net.DisposeAsync();
            throw;
        }
        return net;
    }

    /// <summary>Alice sends <paramref name="text"/> to bob: when bob had it, and when alice had every SURB-ACK back.</summary>
    public async Task<(string Received, TimeSpan Delivered, TimeSpan Acknowledged)> SendAliceToBobAsync(string text, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var clock = Stopwatch.StartNew();
        int fragments = MessageChunker.Split(System.Text.Encoding.UTF8.GetBytes(text), Nym.Messages.FragmentPreparer.PlaintextPerPacket).Count;
        await Alice.SendAsync(Bob.Address, System.Text.Encoding.UTF8.GetBytes(text));
        var received = System.Text.Encoding.UTF8.GetString(await Bob.Messages.ReadAsync(cancel.Token));
        var delivered = clock.Elapsed;
        for (int i = 0; i < fragments; i++)
        {
            await Alice.Acknowledgements.ReadAsync(cancel.Token);
        }
        return (received, delivered, clock.Elapsed);
    }

    /// <summary>Clients first, then the mix nodes, then the gateway (gracefully).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        foreach (var node in _mixNodes)
        {
            await node.DisposeAsync();
        }
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}
