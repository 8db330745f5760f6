using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace NymGateway.Streaming;

/// <summary>
/// A pulling agent's cache of recent batches, per stream. A batch leaves once every subscriber
/// of its stream read it, or when it is older than the age limit or the cache is over capacity.
/// It never pushes back on the queue: a subscriber that falls behind (a dead edge, a slow
/// socket) loses notifications and gets a cache miss; the others never wait for it.
/// </summary>
internal sealed class NotificationQueueCache(int capacity, TimeSpan maxAge, TimeProvider clock) : IQueueCache
{
    private const int MaxAddCount = 256;

    private readonly Queue<(NotificationBatch Batch, long AddedAt)> _arrivals = new();
    private readonly Dictionary<StreamId, StreamEntry> _streams = [];
    private long _lastEvicted = -1;

    public int GetMaxAddCount() => MaxAddCount;

    public bool IsUnderPressure() => false;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        long now = clock.GetTimestamp();
        foreach (var batch in messages.Cast<NotificationBatch>())
        {
            Entry(batch.StreamId).Batches.Enqueue(batch);
            _arrivals.Enqueue((batch, now));
        }
        Evict();
    }

    public bool TryPurgeFromCache(out IList<IBatchContainer> purgedItems)
    {
        Evict();
        // Nothing to hand back: the queue forgot each batch when it was dequeued.
        purgedItems = [];
        return false;
    }

    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        var entry = Entry(streamId);
        var cursor = new Cursor(this, entry, token?.SequenceNumber ?? entry.FirstRetained);
        entry.Cursors.Add(cursor);
        return cursor;
    }

    private StreamEntry Entry(StreamId streamId)
    {
        if (!_streams.TryGetValue(streamId, out var entry))
        {
            // A stream forgotten after its last batch left may have lost batches up to the newest eviction.
            entry = new StreamEntry(streamId) { LastEvicted = _lastEvicted };
            _streams[streamId] = entry;
        }
        return entry;
    }

    private void Evict()
    {
        long oldestAllowed = clock.GetTimestamp() - (long)(maxAge.TotalSeconds * clock.TimestampFrequency);
        while (_arrivals.TryPeek(out var oldest) && (_arrivals.Count > capacity || oldest.AddedAt < oldestAllowed || Consumed(oldest.Batch)))
        {
            _arrivals.Dequeue();
            var entry = _streams[oldest.Batch.StreamId];
            entry.Batches.Dequeue();
            entry.LastEvicted = _lastEvicted = oldest.Batch.SequenceNumber;
            Forget(entry);
        }
    }

    /// <summary>Read by every subscriber of its stream (a stream nobody reads yet keeps its batches until they age out).</summary>
    private bool Consumed(NotificationBatch batch)
    {
        var cursors = _streams[batch.StreamId].Cursors;
        return cursors.Count > 0 && cursors.TrueForAll(c => c.Next > batch.SequenceNumber);
    }

    private void Forget(StreamEntry entry)
    {
        if (entry.Batches.Count == 0 && entry.Cursors.Count == 0)
        {
            _streams.Remove(entry.StreamId);
        }
    }

    private sealed class StreamEntry(StreamId streamId)
    {
        public StreamId StreamId { get; } = streamId;

        public Queue<NotificationBatch> Batches { get; } = new();

        public List<Cursor> Cursors { get; } = [];

        /// <summary>Sequence number of the newest batch dropped from this stream; a cursor needing it missed it.</summary>
        public long LastEvicted { get; set; } = -1;

        public long FirstRetained => Batches.TryPeek(out var first) ? first.SequenceNumber : LastEvicted + 1;
    }

    /// <summary>One subscriber's position in its stream: the lowest sequence number it still needs.</summary>
    private sealed class Cursor(NotificationQueueCache cache, StreamEntry entry, long next) : IQueueCacheCursor
    {
        private NotificationBatch? _current;

        public long Next { get; private set; } = next;

        /// <summary>A subscriber that needs a batch the cache already dropped gets one cache miss, then carries on.</summary>
        public QueueCacheCursorMoveResult MoveNextWithResult()
        {
            _current = null;
            if (entry.LastEvicted >= Next)
            {
                var missed = new QueueCacheMissInfo(new EventSequenceTokenV2(Next), new EventSequenceTokenV2(entry.FirstRetained), new EventSequenceTokenV2(entry.LastEvicted));
                Next = entry.LastEvicted + 1;
                return QueueCacheCursorMoveResult.FromCacheMiss(missed);
            }
            foreach (var batch in entry.Batches)
            {
                if (batch.SequenceNumber >= Next)
                {
                    _current = batch;
                    Next = batch.SequenceNumber + 1;
                    return QueueCacheCursorMoveResult.Success;
                }
            }
            return QueueCacheCursorMoveResult.NoData;
        }

        [Obsolete("Orleans calls MoveNextWithResult.")]
        public bool MoveNext()
        {
            var result = MoveNextWithResult();
            return result.Kind == QueueCacheCursorMoveResultKind.CacheMiss ? throw result.CacheMiss!.Value.ToException() : result.Kind == QueueCacheCursorMoveResultKind.Success;
        }

        public IBatchContainer? GetCurrent(out Exception? exception)
        {
            exception = null;
            return _current;
        }

        // The cursor reads the stream's live queue on every MoveNext; there is nothing to refresh.
        public void Refresh(StreamSequenceToken token)
        {
        }

        public void RecordDeliveryFailure()
        {
        }

        public void Dispose()
        {
            if (entry.Cursors.Remove(this))
            {
                cache.Forget(entry);
            }
        }
    }
}
