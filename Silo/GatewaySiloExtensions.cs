using Microsoft.Extensions.DependencyInjection;
using NymGateway.Grains;
using NymGateway.Grains.Storage;
using Orleans.Configuration;

namespace NymGateway.Silo;

/// <summary>Silo configuration shared by every mode: the gateway's grains, their store and the inbox stream.</summary>
public static class GatewaySiloExtensions
{
    public static ISiloBuilder AddGatewayGrains(this ISiloBuilder silo, GatewayStoreOptions store, InboxStreamOptions streams)
    {
        silo.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(store));
        silo.Services.AddSingleton<AdoNetGatewayStore>();
        silo.Services.AddSingleton<IGatewayStore>(sp => sp.GetRequiredService<AdoNetGatewayStore>());
        silo.Services.AddHostedService<InboxSweeper>();

        silo.AddMemoryStreams(InboxStreams.Provider, stream =>
        {
            stream.ConfigurePartitioning(streams.QueueCount);
            stream.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = streams.PollPeriod));
        });
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
