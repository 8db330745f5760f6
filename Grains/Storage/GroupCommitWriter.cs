using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NymGateway.Grains.Telemetry;

namespace NymGateway.Grains.Storage;

/// <summary>
/// Commits whatever is queued in a single transaction (group commit), on a thread and a connection
/// of its own, so a busy gateway pays one commit for many writes. The dialect's store says how one
/// batch is committed; a failed commit fails that batch's writes (their callers retry) and the
/// writer lives on.
/// </summary>
public sealed partial class GroupCommitWriter
{
    /// <summary>Commits one batch in one transaction, synchronously; returns each write's result, in order.</summary>
    public delegate AppendOutcome[]?[] CommitBatch(DbConnection connection, List<PendingWrite> batch);

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly CommitBatch _commit;
    private readonly int _maxWritesPerCommit;
    private readonly SiloMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public GroupCommitWriter(Func<CancellationToken, Task<DbConnection>> open, CommitBatch commit, int maxWritesPerCommit, SiloMetrics metrics, ILogger logger)
    {
        _open = open;
        _commit = commit;
        _maxWritesPerCommit = maxWritesPerCommit;
        _metrics = metrics;
        _logger = logger;
        _loop = Task.Factory.StartNew(WriteLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Queues <paramref name="write"/>; <paramref name="completion"/> (the write's own) completes after its commit.</summary>
    public Task<T> Enqueue<T>(PendingWrite write, Task<T> completion) =>
        _queue.Writer.TryWrite(write) ? completion : throw new ObjectDisposedException(nameof(GroupCommitWriter));

    /// <summary>Takes no more writes; completes once the queued ones are committed.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task WriteLoopAsync()
    {
        var queue = _queue.Reader;
        var batch = new List<PendingWrite>();
        DbConnection? connection = null;
        while (await queue.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxWritesPerCommit && queue.TryRead(out var write))
            {
                batch.Add(write);
            }
            try
            {
                connection ??= await _open(CancellationToken.None).ConfigureAwait(false);
                long started = Stopwatch.GetTimestamp();
                var results = _commit(connection, batch);
                _metrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                _metrics.CommitWrites.Record(batch.Count);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Complete(results[i]);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Whatever went wrong, the writer lives on: a dead writer would hang every delivery.
                _metrics.StoreErrors.Add(1, SiloMetrics.Commit);
                LogCommitFailed(_logger, ex, batch.Count);
                foreach (var write in batch)
                {
                    write.Fail(ex);
                }
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
            }
        }
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Error, Message = "Committing {Count} queued writes failed; their callers will retry")]
    private static partial void LogCommitFailed(ILogger logger, Exception error, int count);
}
