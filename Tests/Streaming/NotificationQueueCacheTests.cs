using Microsoft.Extensions.Time.Testing;
using NymGateway.Streaming;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;
using Xunit;

namespace NymGateway.Tests.Streaming;

/// <summary>The pulling agent's cache of the notification stream provider, driven the way the agent drives it.</summary>
[Trait("Category", "Unit")]
public sealed class NotificationQueueCacheTests
{
    private static readonly StreamId Alice = StreamId.Create("inbox", "alice");
    private static readonly StreamId Bob = StreamId.Create("inbox", "bob");
    private readonly FakeTimeProvider _clock = new();
    private long _sequence = 100;

    private NotificationQueueCache Cache(int capacity = 100) => new(capacity, TimeSpan.FromSeconds(10), _clock);

    private NotificationBatch Batch(StreamId stream) => new(stream, [$"event {_sequence}"], _sequence++);

    private static List<long> ReadAll(IQueueCacheCursor cursor)
    {
        var seen = new List<long>();
        while (cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success)
        {
            seen.Add(cursor.GetCurrent(out _)!.SequenceToken.SequenceNumber);
        }
        return seen;
    }

    [Fact]
    public void A_cursor_reads_its_own_stream_in_order_and_then_what_arrives_later()
    {
        var cache = Cache();
        var batches = new[] { Batch(Alice), Batch(Bob), Batch(Alice) };
        cache.AddToCache(batches);
        using var alice = cache.GetCacheCursor(Alice, batches[0].SequenceToken);

        Assert.Equal([100, 102], ReadAll(alice));
        var later = Batch(Alice);
        cache.AddToCache([Batch(Bob), later]);
        Assert.Equal([later.SequenceNumber], ReadAll(alice));
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, alice.MoveNextWithResult().Kind);
    }

    [Fact]
    public void A_cursor_without_a_token_starts_at_the_oldest_batch_kept_for_its_stream()
    {
        var cache = Cache();
        cache.AddToCache([Batch(Alice), Batch(Alice)]);
        using var cursor = cache.GetCacheCursor(Alice, null);
        Assert.Equal([100, 101], ReadAll(cursor));
    }

    [Fact]
    public void Events_come_back_with_per_event_tokens()
    {
        var batch = new NotificationBatch(Alice, ["a", 42, "b"], 7);
        var events = batch.GetEvents<string>().ToList();
        Assert.Equal(["a", "b"], events.Select(e => e.Item1));
        Assert.All(events, e => Assert.Equal(7, e.Item2.SequenceNumber));
        Assert.Equal(new EventSequenceTokenV2(7), batch.SequenceToken);
    }

    [Fact]
    public void A_batch_read_by_every_subscriber_of_its_stream_leaves_the_cache()
    {
        var cache = Cache();
        var first = Batch(Alice);
        cache.AddToCache([first]);
        using var one = cache.GetCacheCursor(Alice, first.SequenceToken);
        using var two = cache.GetCacheCursor(Alice, first.SequenceToken);

        Assert.Single(ReadAll(one));
        cache.TryPurgeFromCache(out _);
        Assert.Single(ReadAll(two)); // still there for the second subscriber
        cache.TryPurgeFromCache(out _);

        // Gone now: a new subscriber starting at it is told it missed it.
        using var late = cache.GetCacheCursor(Alice, first.SequenceToken);
        Assert.Equal(QueueCacheCursorMoveResultKind.CacheMiss, late.MoveNextWithResult().Kind);
    }

    [Fact]
    public void A_stuck_subscriber_never_holds_back_the_queue_and_learns_what_it_missed()
    {
        var cache = Cache(capacity: 3);
        var first = Batch(Alice);
        cache.AddToCache([first]);
        using var stuck = cache.GetCacheCursor(Alice, first.SequenceToken);
        for (int i = 0; i < 10; i++)
        {
            cache.AddToCache([Batch(Alice), Batch(Bob)]);
            Assert.False(cache.IsUnderPressure());
        }

        var miss = stuck.MoveNextWithResult();
        Assert.Equal(QueueCacheCursorMoveResultKind.CacheMiss, miss.Kind);
        Assert.Equal(first.SequenceNumber, miss.CacheMiss!.Value.RequestedToken!.SequenceNumber);
        // It then carries on with what is still kept, and is not told the same miss again.
        var rest = ReadAll(stuck);
        Assert.NotEmpty(rest);
        Assert.True(rest.SequenceEqual(rest.Order()));
    }

    [Fact]
    public void Batches_nobody_reads_age_out()
    {
        var cache = Cache();
        var old = Batch(Bob);
        cache.AddToCache([old]);
        _clock.Advance(TimeSpan.FromSeconds(11));
        cache.TryPurgeFromCache(out _);

        using var cursor = cache.GetCacheCursor(Bob, old.SequenceToken);
        Assert.Equal(QueueCacheCursorMoveResultKind.CacheMiss, cursor.MoveNextWithResult().Kind);
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, cursor.MoveNextWithResult().Kind);
    }
}
