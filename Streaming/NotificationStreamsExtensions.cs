using Microsoft.Extensions.DependencyInjection;

namespace NymGateway.Streaming;

/// <summary>Registers a notification stream provider on a silo (which runs its queues) or a cluster client (which only subscribes).</summary>
public static class NotificationStreamsExtensions
{
    public static ISiloBuilder AddNotificationStreams(this ISiloBuilder silo, string name, NotificationStreamOptions options)
    {
        silo.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        return silo.AddPersistentStreams(name, NotificationQueueAdapterFactory.Create, stream =>
        {
            stream.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = options.PollPeriod));
            stream.ConfigureBackoffProvider((_, _) => new QuickQueueReaderBackoff());
        });
    }

    /// <summary>A cluster client never reads queues, so it needs no settings.</summary>
    public static IClientBuilder AddNotificationStreams(this IClientBuilder client, string name)
    {
        client.Services.AddOptions<NotificationStreamOptions>();
        return client.AddPersistentStreams(name, NotificationQueueAdapterFactory.Create, _ => { });
    }
}
