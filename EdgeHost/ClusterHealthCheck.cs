using Microsoft.Extensions.Diagnostics.HealthChecks;
using NymGateway.Grains;

namespace NymGateway.EdgeHost;

/// <summary>Healthy when a grain answers through the cluster (which also reads the store).</summary>
public sealed class ClusterHealthCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await cluster.GetGrain<IClientGrain>("health-probe").GetSharedKeys().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the silo cluster or its database does not answer", ex);
        }
    }
}
