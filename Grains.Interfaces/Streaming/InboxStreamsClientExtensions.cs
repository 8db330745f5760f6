using Microsoft.Extensions.DependencyInjection;

namespace NymGateway.Grains.Streaming;

public static class InboxStreamsClientExtensions
{
    /// <summary>Lets a cluster client subscribe to inbox streams (it never reads queues, so it needs no settings).</summary>
    public static IClientBuilder AddInboxStreams(this IClientBuilder client)
    {
        client.Services.AddOptions<NotificationStreamOptions>();
        return client.AddPersistentStreams(InboxStreams.Provider, NotificationQueueAdapterFactory.Create, _ => { });
    }
}
