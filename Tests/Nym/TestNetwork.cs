using System.Net;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Keys;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Tests.Nym;

/// <summary>Random mix nodes with keys and loopback addresses, for round-trip tests.</summary>
public sealed record TestNode(EncryptionKeyPair Keys, NodeAddress Address)
{
    public RouteNode ToRouteNode() => new(Address.ToSphinxBytes(), Keys.PublicKey);

    public static TestNode Create(Random random) =>
        new(EncryptionKeyPair.Generate(), new NodeAddress(new IPEndPoint(IPAddress.Loopback, random.Next(1024, 65535))));

    public static List<TestNode> Route(Random random, int hops) => Enumerable.Range(0, hops).Select(_ => Create(random)).ToList();
}
