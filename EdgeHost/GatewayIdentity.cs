using NymGateway.Nym.Keys;

namespace NymGateway.EdgeHost;

/// <summary>The gateway's long-term keys, shared by every host of one logical gateway.</summary>
public sealed class GatewayIdentity(IdentityKeyPair identity, EncryptionKeyPair sphinx)
{
    public IdentityKeyPair Identity { get; } = identity;
    public EncryptionKeyPair Sphinx { get; } = sphinx;
}
