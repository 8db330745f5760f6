using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Streams;

namespace NymGateway.Streaming;

/// <summary>
/// An Orleans persistent-stream provider for notifications: queues live in grains, as with
/// memory streams, but readers wake on arrival (see <see cref="NotificationQueueReceiver"/>)
/// and the agent's cache never stalls a queue behind a dead subscriber
/// (see <see cref="NotificationQueueCache"/>). Nothing is durable: publishers keep the truth.
/// </summary>
public sealed class NotificationQueueAdapterFactory(string name, NotificationStreamOptions options, IGrainFactory grains, TimeProvider clock)
    : IQueueAdapterFactory, IQueueAdapter, IQueueAdapterCache
{
    private readonly HashRingBasedStreamQueueMapper _mapper =
        new(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.QueueCount }, name);

    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    /// <summary>For AddPersistentStreams: reads <see cref="NotificationStreamOptions"/> from the container.</summary>
    public static NotificationQueueAdapterFactory Create(IServiceProvider services, string name) =>
        new(name, services.GetRequiredService<IOptions<NotificationStreamOptions>>().Value,
            services.GetRequiredService<IGrainFactory>(), TimeProvider.System);

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => this;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    public IQueueCache CreateQueueCache(QueueId queueId) => new NotificationQueueCache(options.CacheCapacity, options.CacheMaxAge, clock);

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new NotificationQueueReceiver(Queue(queueId), options.MaxWait);

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("Notification streams are not rewindable; publish without a sequence token", nameof(token));
        }
        object[] payload = [.. events.Cast<object>()];
        return Queue(_mapper.GetQueueForStream(streamId)).Enqueue(new NotificationBatch(streamId, payload, 0));
    }

    private INotificationQueueGrain Queue(QueueId queueId) => grains.GetGrain<INotificationQueueGrain>($"{name}/{queueId}");
}
