using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Encoding;
using NymGateway.Nym.Keys;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Mixnet;

/// <summary>A mix node as the topology lists it: its layer (1 to 3), where it listens and its Sphinx public key (base58).</summary>
public sealed record TopologyMixNode(int Layer, string Address, string SphinxKey);

/// <summary>A gateway: its identity and Sphinx keys (base58), its mix address and its clients' websocket address.</summary>
public sealed record TopologyGateway(string Identity, string SphinxKey, string MixAddress, string ClientsAddress);

/// <summary>
/// What 0.9.2's clients learn from the directory, handed over in a JSON file instead (this repo
/// has no directory): the mix nodes by layer and the gateways. Routes take one node per layer.
/// </summary>
public sealed record Topology(IReadOnlyList<TopologyMixNode> MixNodes, IReadOnlyList<TopologyGateway> Gateways)
{
    public const int Layers = 3;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Topology Load(string path) =>
        JsonSerializer.Deserialize<Topology>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} holds no topology");

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public TopologyGateway Gateway(IdentityPublicKey identity) =>
        Gateways.FirstOrDefault(g => g.Identity == identity.ToBase58())
        ?? throw new InvalidDataException($"the topology has no gateway {identity}");

    /// <summary>random_route_to_gateway: a random mix node of each layer, then the gateway.</summary>
    public IReadOnlyList<RouteNode> RouteTo(IdentityPublicKey gateway)
    {
        var route = new List<RouteNode>(Layers + 1);
        for (int layer = 1; layer <= Layers; layer++)
        {
            var candidates = MixNodes.Where(m => m.Layer == layer).ToArray();
            if (candidates.Length == 0)
            {
                throw new InvalidDataException($"the topology has no mix node on layer {layer}");
            }
            var node = candidates[RandomNumberGenerator.GetInt32(candidates.Length)];
            route.Add(Node(node.Address, node.SphinxKey));
        }
        var target = Gateway(gateway);
        route.Add(Node(target.MixAddress, target.SphinxKey));
        return route;
    }

    private static RouteNode Node(string address, string sphinxKey)
    {
        if (!IPEndPoint.TryParse(address, out var endPoint))
        {
            throw new InvalidDataException($"'{address}' in the topology is not ip:port");
        }
        if (!Base58Text.TryDecode(sphinxKey, out var key, out _) || key.Length != 32)
        {
            throw new InvalidDataException($"'{sphinxKey}' in the topology is not a base58 x25519 key");
        }
        return new RouteNode(new NodeAddress(endPoint).ToSphinxBytes(), key);
    }
}
