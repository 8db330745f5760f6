namespace NymGateway.Streaming;

/// <summary>
/// Settings of the notification stream provider. Delivery is woken by arrivals, so none of
/// these bound latency: the poll period only matters after an idle <see cref="MaxWait"/>.
/// </summary>
public sealed class NotificationStreamOptions
{
    /// <summary>Queues (and pulling agents) the streams are spread over.</summary>
    public int QueueCount { get; set; } = 4;

    /// <summary>
    /// The pulling agent's timer: how soon a reader resumes after an idle <see cref="MaxWait"/>
    /// or after the agent paused reading (while it looks up a new stream's subscribers).
    /// </summary>
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How long a queue reader waits for an arrival before handing control back to its agent.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Batches one queue holds before refusing more (publishers then log; the store has the data).</summary>
    public int MaxQueuedBatches { get; set; } = 16_384;

    /// <summary>Batches one agent's cache keeps for subscribers that have not read them yet.</summary>
    public int CacheCapacity { get; set; } = 4_096;

    /// <summary>Age after which a cached batch is dropped even if a (stuck or dead) subscriber has not read it.</summary>
    public TimeSpan CacheMaxAge { get; set; } = TimeSpan.FromSeconds(10);
}
