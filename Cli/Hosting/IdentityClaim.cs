using NymGateway.EdgeHost;
using NymGateway.Grains.Storage;
using NymGateway.Silo;

namespace NymGateway.Cli.Hosting;

/// <summary>
/// A silo started with another gateway's keys refuses to start, right after the schema and before
/// it joins the cluster: it records this host's identity key for the cluster unless one is recorded,
/// and compares (edges check the same record through a grain, <see cref="ClusterIdentityCheck"/>).
/// </summary>
public sealed class IdentityClaim(IGatewayStore store, GatewayIdentity identity, string clusterId) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(IdentityClaim), SchemaCreation.Stage + 1, async _ =>
    {
        var mine = identity.Identity.PublicKey.ToBase58();
        ClusterIdentityCheck.EnsureSame(clusterId, mine, await store.ClaimIdentityAsync(clusterId, mine));
    });
}
