using Orleans.Streams;

namespace NymGateway.Streaming;

/// <summary>
/// Reads one queue for its pulling agent. When the queue is empty it waits for the next arrival
/// (up to <see cref="NotificationStreamOptions.MaxWait"/>), so events reach subscribers when
/// they are published rather than on the agent's next timer tick, and an idle queue costs one
/// call per wait instead of one per poll period.
/// </summary>
internal sealed class NotificationQueueReceiver(INotificationQueueGrain queue, TimeSpan maxWait) : IQueueAdapterReceiver
{
    /// <summary>Upper bound on batches taken per read when the cache sets none.</summary>
    private const int MaxBatchesPerRead = 256;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        int count = maxCount <= 0 ? MaxBatchesPerRead : Math.Min(maxCount, MaxBatchesPerRead);
        var batches = await queue.Dequeue(count);
        if (batches.Length > 0)
        {
            return batches;
        }
        try
        {
            if (!await queue.WaitForArrival(maxWait).WaitAsync(cancellationToken))
            {
                return [];
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return [];
        }
        return await queue.Dequeue(count);
    }

    [Obsolete("The agent calls the overload with a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    [Obsolete("The agent calls the overload with a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A stopping silo should not wait out a reader's idle wait.</summary>
    public Task Shutdown(TimeSpan timeout) => queue.StopWaiting().WaitAsync(timeout);
}
