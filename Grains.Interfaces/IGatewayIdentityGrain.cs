namespace NymGateway.Grains;

/// <summary>The identity key a cluster (keyed by its cluster id) serves, as its first host recorded it.</summary>
public interface IGatewayIdentityGrain : IGrainWithStringKey
{
    /// <summary>Records <paramref name="identityKey"/> unless a key is recorded already; returns the recorded key.</summary>
    Task<string> Claim(string identityKey);
}
