namespace NymGateway.Nym.Sphinx;

/// <summary>One hop of a route: its 32-byte Sphinx address and its X25519 public key.</summary>
public sealed record RouteNode
{
    public RouteNode(byte[] address, byte[] publicKey)
    {
        if (address.Length != SphinxConstants.NodeAddressLength || publicKey.Length != 32)
        {
            throw new ArgumentException("a route node has a 32-byte address and a 32-byte public key");
        }
        Address = address;
        PublicKey = publicKey;
    }

    public byte[] Address { get; }
    public byte[] PublicKey { get; }
}

/// <summary>The final destination: 32 address bytes and a 16-byte SURB identifier.</summary>
public sealed record SphinxDestination
{
    public SphinxDestination(byte[] address, byte[] identifier)
    {
        if (address.Length != SphinxConstants.DestinationAddressLength || identifier.Length != SphinxConstants.IdentifierLength)
        {
            throw new ArgumentException("a destination has a 32-byte address and a 16-byte identifier");
        }
        Address = address;
        Identifier = identifier;
    }

    public byte[] Address { get; }
    public byte[] Identifier { get; }
}
