using NymGateway.Grains;
using NymGateway.Streaming;
using Orleans.Configuration;

namespace NymGateway.EdgeHost;

/// <summary>An edge host's connection to the silo cluster: found through the membership table in PostgreSQL.</summary>
public static class ClusterClientExtensions
{
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
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        client.UseConnectionRetryFilter<ClusterConnectionRetry>();
        return client;
    }
}
