using NymGateway.Streaming;
using Xunit;

namespace NymGateway.Tests.Streaming;

/// <summary>The queue reader of the notification stream provider, against an in-memory queue.</summary>
[Trait("Category", "Unit")]
public sealed class NotificationQueueReceiverTests
{
    private static readonly StreamId Stream = StreamId.Create("inbox", "someone");

    /// <summary>Behaves like the queue grain: numbered batches, a waiter woken by the next arrival.</summary>
    private sealed class MemoryQueue : INotificationQueueGrain
    {
        private readonly Queue<NotificationBatch> _queue = new();
        private TaskCompletionSource<bool> _arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _sequence;

        public int Count => _queue.Count;

        public Task Enqueue(NotificationBatch batch)
        {
            lock (_queue)
            {
                _queue.Enqueue(batch with { SequenceNumber = _sequence++ });
                _arrival.TrySetResult(true);
                _arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            return Task.CompletedTask;
        }

        public Task<NotificationBatch[]> Dequeue(int maxCount)
        {
            lock (_queue)
            {
                var taken = new NotificationBatch[Math.Min(maxCount, _queue.Count)];
                for (int i = 0; i < taken.Length; i++)
                {
                    taken[i] = _queue.Dequeue();
                }
                return Task.FromResult(taken);
            }
        }

        public async Task<bool> WaitForArrival(TimeSpan maxWait)
        {
            Task<bool> arrival;
            lock (_queue)
            {
                if (_queue.Count > 0)
                {
                    return true;
                }
                arrival = _arrival.Task;
            }
            try
            {
                return await arrival.WaitAsync(maxWait);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        public Task StopWaiting()
        {
            lock (_queue)
            {
                _arrival.TrySetResult(false);
                _arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Queued_batches_come_back_at_once_oldest_first()
    {
        var queue = new MemoryQueue();
        await queue.Enqueue(new NotificationBatch(Stream, ["a"], 0));
        await queue.Enqueue(new NotificationBatch(Stream, ["b"], 0));
        var receiver = new NotificationQueueReceiver(queue, TimeSpan.FromMinutes(5));

        var batches = await receiver.GetQueueMessagesAsync(10, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["a", "b"], batches.SelectMany(b => b.GetEvents<string>()).Select(e => e.Item1));
    }

    [Fact]
    public async Task An_empty_queue_is_read_as_soon_as_something_arrives()
    {
        var queue = new MemoryQueue();
        var receiver = new NotificationQueueReceiver(queue, TimeSpan.FromMinutes(5));

        var reading = receiver.GetQueueMessagesAsync(10, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(reading.IsCompleted);
        await queue.Enqueue(new NotificationBatch(Stream, ["late"], 0));
        var batches = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("late", Assert.Single(batches).GetEvents<string>().Single().Item1);
    }

    [Fact]
    public async Task A_read_given_up_takes_nothing_and_an_idle_wait_ends_empty()
    {
        var queue = new MemoryQueue();
        using var cancel = new CancellationTokenSource();
        var receiver = new NotificationQueueReceiver(queue, TimeSpan.FromMinutes(5));
        var reading = receiver.GetQueueMessagesAsync(10, cancel.Token);
        await cancel.CancelAsync();
        Assert.Empty(await reading.WaitAsync(TimeSpan.FromSeconds(30)));

        await queue.Enqueue(new NotificationBatch(Stream, ["kept"], 0));
        Assert.Equal(1, queue.Count);

        var idle = new NotificationQueueReceiver(new MemoryQueue(), TimeSpan.FromMilliseconds(50));
        Assert.Empty(await idle.GetQueueMessagesAsync(10, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_shutdown_ends_a_waiting_read_at_once_with_nothing()
    {
        var queue = new MemoryQueue();
        var receiver = new NotificationQueueReceiver(queue, TimeSpan.FromMinutes(5));
        var reading = receiver.GetQueueMessagesAsync(10, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(reading.IsCompleted);

        await receiver.Shutdown(TimeSpan.FromSeconds(30));
        Assert.Empty(await reading.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
