using Microsoft.Extensions.DependencyInjection.Extensions;
using NymGateway.Grains;
using NymGateway.Streaming;
using Orleans.Configuration;

namespace NymGateway.EdgeHost;

/// <summary>An edge host's connection to the silo cluster: found through the membership table in PostgreSQL.</summary>
public static class ClusterClientExtensions
{
    /// <summary>
    /// How long a call to the cluster may take before it fails (and is retried). A store commit
    /// takes milliseconds; a call that waited this long met a dead, cut-off or frozen silo, whose
    /// callers should retry elsewhere soon.
    /// </summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A connection attempt whose SYN was lost in a partition gives up after this, and the next one works once the network does (Orleans' default: 5 s).</summary>
    public static readonly TimeSpan OpenConnectionTimeout = TimeSpan.FromSeconds(2);

    public static IClientBuilder UseGatewayCluster(this IClientBuilder client, string connectionString, string clusterId, ClusterChangeSignal signal)
    {
        client.AddClusterConnectionStatusObserver(signal);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = "nym-gateway";
        });
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        client.AddNotificationStreams(InboxStreams.Provider);
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        client.Services.TryAddSingleton<SiloConnectionWatch>();
        client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(b => b.ApplicationServices.GetRequiredService<SiloConnectionWatch>().Use(b)));
        // A silo the cluster declared dead leaves the list at the next refresh, and the calls waiting on it fail over.
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
        client.Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = OpenConnectionTimeout);
        client.UseConnectionRetryFilter<ClusterConnectionRetry>();
        return client;
    }
}
