using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NymGateway.Grains;
using NymGateway.Grains.Storage;
using NymGateway.Grains.Telemetry;
using NymGateway.Streaming;
using Orleans.Configuration;

namespace NymGateway.Silo;

/// <summary>Silo configuration shared by every mode: the gateway's grains, their store and the inbox notification stream.</summary>
public static class GatewaySiloExtensions
{
    public static ISiloBuilder AddGatewayGrains(this ISiloBuilder silo, GatewayStoreOptions store, NotificationStreamOptions streams)
    {
        silo.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(store));
        silo.Services.AddSingleton<IGatewayStore>(sp => store.Provider == StoreProvider.Sqlite
            ? ActivatorUtilities.CreateInstance<SqliteGatewayStore>(sp)
            : ActivatorUtilities.CreateInstance<PostgresGatewayStore>(sp));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaCreation>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, InboxSweeperKeepAlive>();
        silo.Services.AddSingleton<SiloMetrics>();
        silo.Services.AddHostedService<StoreTotalsMonitor>();

        silo.AddNotificationStreams(InboxStreams.Provider, streams);
        return silo;
    }

    /// <summary>
    /// One silo of a cluster on PostgreSQL: ADO.NET membership, stream subscriptions in the
    /// database, and failure detection tuned so a dead silo is declared dead within seconds,
    /// and a silo declared dead learns it (and stops) within seconds too.
    /// </summary>
    public static ISiloBuilder UseCluster(this ISiloBuilder silo, string connectionString, string clusterId, IPAddress advertisedAddress, int siloPort, int gatewayPort)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = "nym-gateway";
        });
        silo.ConfigureEndpoints(advertisedAddress, siloPort, gatewayPort, listenOnAnyHostAddress: true);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage("PubSubStore", o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            // A silo cut off from the others learns it was declared dead (and stops) from this read; the default is a minute.
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            o.DefunctSiloCleanupPeriod = TimeSpan.FromMinutes(10);
            o.DefunctSiloExpiration = TimeSpan.FromMinutes(30);
        });
        silo.UseEdgeConnectionTimeouts();
        return silo;
    }

    /// <summary>One process, one machine: localhost clustering and in-memory stream subscriptions.</summary>
    public static ISiloBuilder UseSingleProcess(this ISiloBuilder silo, int siloPort, int gatewayPort)
    {
        silo.UseLocalhostClustering(siloPort, gatewayPort);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = "nym-gateway";
            o.ServiceId = "nym-gateway";
        });
        silo.AddMemoryGrainStorage("PubSubStore");
        return silo;
    }
}
