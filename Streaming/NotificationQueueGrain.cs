using Microsoft.Extensions.Options;

namespace NymGateway.Streaming;

/// <summary>
/// One in-memory notification queue. Batches are numbered on arrival (starting from the clock,
/// so a re-activated queue keeps counting upwards) and a waiting reader is woken at once.
/// </summary>
public sealed class NotificationQueueGrain(IOptions<NotificationStreamOptions> options) : Grain, INotificationQueueGrain
{
    private readonly Queue<NotificationBatch> _queue = new();
    private long _sequence = DateTime.UtcNow.Ticks;
    private TaskCompletionSource<bool>? _arrival;

    public Task Enqueue(NotificationBatch batch)
    {
        if (_queue.Count >= options.Value.MaxQueuedBatches)
        {
            throw new InvalidOperationException($"Notification queue {this.GetPrimaryKeyString()} is full ({_queue.Count} batches)");
        }
        _queue.Enqueue(batch with { SequenceNumber = _sequence++ });
        _arrival?.TrySetResult(true);
        _arrival = null;
        return Task.CompletedTask;
    }

    public Task<NotificationBatch[]> Dequeue(int maxCount)
    {
        var batches = new NotificationBatch[Math.Min(maxCount, _queue.Count)];
        for (int i = 0; i < batches.Length; i++)
        {
            batches[i] = _queue.Dequeue();
        }
        return Task.FromResult(batches);
    }

    public async Task<bool> WaitForArrival(TimeSpan maxWait)
    {
        if (_queue.Count > 0)
        {
            return true;
        }
        _arrival ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            return await _arrival.Task.WaitAsync(maxWait);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public Task StopWaiting()
    {
        _arrival?.TrySetResult(false);
        _arrival = null;
        return Task.CompletedTask;
    }
}
