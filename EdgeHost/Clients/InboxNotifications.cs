using NymGateway.Grains;
using Orleans.Streams;

namespace NymGateway.EdgeHost.Clients;

/// <summary>A client's inbox stream as the pump uses it: subscribe, and unsubscribe by disposing.</summary>
public interface IInboxNotifications
{
    Task<IAsyncDisposable> SubscribeAsync(Func<InboxEvent, Task> onEvent, Func<Exception, Task> onError);
}

/// <summary>The inbox stream of one client on the cluster.</summary>
public sealed class InboxNotifications(IClusterClient cluster, string client) : IInboxNotifications
{
    public async Task<IAsyncDisposable> SubscribeAsync(Func<InboxEvent, Task> onEvent, Func<Exception, Task> onError)
    {
        var handle = await cluster.GetStreamProvider(InboxStreams.Provider)
            .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, client))
            .SubscribeAsync((inboxEvent, _) => onEvent(inboxEvent), onError);
        return new Subscription(handle);
    }

    private sealed class Subscription(StreamSubscriptionHandle<InboxEvent> handle) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(handle.UnsubscribeAsync());
    }
}
