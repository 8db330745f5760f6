using NymGateway.Grains.Storage;

namespace NymGateway.Grains;

/// <summary>Lets edges, which have no store, check their keys against the cluster's record.</summary>
public sealed class GatewayIdentityGrain(IGatewayStore store) : Grain, IGatewayIdentityGrain
{
    public Task<string> Claim(string identityKey) => store.ClaimIdentityAsync(this.GetPrimaryKeyString(), identityKey);
}
