using NymGateway.Grains;

namespace NymGateway.EdgeHost;

/// <summary>
/// An edge started with another gateway's keys would drop every packet with a MAC failure: it
/// refuses to start instead. Runs once the cluster client is connected, before the listeners open.
/// </summary>
public sealed class ClusterIdentityCheck(IClusterClient cluster, GatewayIdentity identity, string clusterId) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var mine = identity.Identity.PublicKey.ToBase58();
        EnsureSame(clusterId, mine, await cluster.GetGrain<IGatewayIdentityGrain>(clusterId).Claim(mine).WaitAsync(cancellationToken));
    }

    /// <summary>Refuses to go on when the cluster recorded another key than this host's (silos check through their store).</summary>
    /// <exception cref="InvalidOperationException">The keys differ; the message says what to do.</exception>
    public static void EnsureSame(string clusterId, string mine, string recorded)
    {
        if (recorded != mine)
        {
            throw new InvalidOperationException(
                $"This host's identity key {mine} is not {recorded}, the key cluster '{clusterId}' serves: it was given another gateway's keys. " +
                "Copy the gateway folder (config and data) from the host that ran `init`, or use a cluster id of its own.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
