using Orleans.Concurrency;

namespace NymGateway.Streaming;

/// <summary>
/// One queue of the notification stream provider, held in memory by a grain (like Orleans'
/// memory streams). Its reader waits for arrivals instead of polling on a timer.
/// </summary>
public interface INotificationQueueGrain : IGrainWithStringKey
{
    /// <summary>Appends a batch and wakes a waiting reader. Fails when the queue is full.</summary>
    Task Enqueue(NotificationBatch batch);

    /// <summary>Takes up to <paramref name="maxCount"/> batches, oldest first, numbered in arrival order.</summary>
    Task<NotificationBatch[]> Dequeue(int maxCount);

    /// <summary>
    /// Completes with true as soon as a batch is queued, or false after <paramref name="maxWait"/>.
    /// Takes nothing, so a reader that gives up waiting loses nothing.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> WaitForArrival(TimeSpan maxWait);

    /// <summary>Ends a pending <see cref="WaitForArrival"/> with false: its reader is shutting down, and the grain can then deactivate.</summary>
    [AlwaysInterleave]
    Task StopWaiting();
}
