using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NymGateway.Grains.Telemetry;

namespace NymGateway.Grains.Storage;

/// <summary>
/// <see cref="IGatewayStore"/> over ADO.NET, for SQLite and PostgreSQL alike. Writes from all
/// grains go through a writer that commits whatever is queued in a single transaction (group
/// commit), so a busy gateway pays one commit for many messages. On PostgreSQL, deletes of
/// delivered messages (never urgent) have a writer and connection of their own, so a new message
/// never waits behind them; SQLite has a single writer anyway.
/// </summary>
public sealed partial class AdoNetGatewayStore : IGatewayStore, IAsyncDisposable
{
    private readonly DbDataSource _dataSource;
    private readonly GatewayStoreOptions _options;
    private readonly SiloMetrics _metrics;
    private readonly ILogger<AdoNetGatewayStore> _logger;
    private readonly Channel<PendingWrite> _appends = NewQueue();
    private readonly Channel<PendingWrite> _deletes;
    private readonly Task[] _writers;
    private int _disposed;

    public AdoNetGatewayStore(IOptions<GatewayStoreOptions> options, SiloMetrics metrics, ILogger<AdoNetGatewayStore> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _dataSource = _options.Provider == StoreProvider.Sqlite
            ? SqliteFactory.Instance.CreateDataSource(SqliteConnectionString(_options.ConnectionString))
            : PostgresDataSource(_options.ConnectionString);
        _deletes = _options.Provider == StoreProvider.Sqlite ? _appends : NewQueue();
        _writers = [.. new[] { _appends, _deletes }.Distinct().Select(queue =>
            Task.Factory.StartNew(() => WriteLoopAsync(queue.Reader), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())];
    }

    private static Channel<PendingWrite> NewQueue() => Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    public DbDataSource DataSource => _dataSource;

    /// <summary>Creates the tables (idempotent) and sets SQLite's journal to WAL.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_options.Provider == StoreProvider.Sqlite)
        {
            await using var connection = await OpenAsync(cancellationToken);
            // 16 KiB pages hold several ~1.6 KiB messages each (a third faster than 4 KiB); only takes effect on a new file.
            await ExecuteAsync(connection, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL;", cancellationToken);
        }
        await SchemaScripts.ApplyAsync(_dataSource, _options.Provider, cancellationToken);
    }

    public Task<long[]> AppendAsync(string address, IReadOnlyList<byte[]> messages, ReadOnlyMemory<byte> replayTags, Guid deliveryId, long receivedAt)
    {
        if (messages.Count == 0)
        {
            return Task.FromResult(Array.Empty<long>());
        }
        var write = new AppendWrite(address, messages, replayTags, deliveryId, receivedAt);
        return Enqueue(_appends, write, write.Completion);
    }

    public Task DeleteAsync(IReadOnlyList<long> ids)
    {
        if (ids.Count == 0)
        {
            return Task.CompletedTask;
        }
        var write = new DeleteWrite(ids);
        return Enqueue(_deletes, write, write.Completion);
    }

    public Task<InboxMessage[]> ReadAsync(string address, long afterId, int maxMessages) =>
        Guard(() => ReadCoreAsync(address, afterId, maxMessages));

    private async Task<InboxMessage[]> ReadCoreAsync(string address, long afterId, int maxMessages)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, content, received_at FROM gateway_messages WHERE address = @address AND id > @after ORDER BY id LIMIT @limit";
        Add(command, "address", address);
        Add(command, "after", afterId);
        Add(command, "limit", maxMessages);
        var messages = new List<InboxMessage>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            messages.Add(new InboxMessage(reader.GetInt64(0), (byte[])reader.GetValue(1), reader.GetInt64(2)));
        }
        return [.. messages];
    }

    public Task<int> CountAsync(string address) => Guard(() => CountCoreAsync(address));

    private async Task<int> CountCoreAsync(string address)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM gateway_messages WHERE address = @address";
        Add(command, "address", address);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    /// <summary>Every stored message and every registered client, for the silo's gauges.</summary>
    public Task<(long Messages, long Clients)> CountTotalsAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM gateway_messages), (SELECT COUNT(*) FROM gateway_clients)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    });

    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff) =>
        DeleteBeforeAsync("DELETE FROM gateway_messages WHERE received_at < @cutoff", cutoff);

    public Task<int> DeleteReplayTagsOlderThanAsync(DateTimeOffset cutoff) =>
        DeleteBeforeAsync("DELETE FROM gateway_replay_tags WHERE seen_at < @cutoff", cutoff);

    /// <summary>Runs an age sweep's DELETE with its @cutoff (unix milliseconds); returns the rows deleted.</summary>
    private async Task<int> DeleteBeforeAsync(string delete, DateTimeOffset cutoff)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = delete;
        Add(command, "cutoff", cutoff.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync();
    }

    public Task<byte[]?> GetClientAsync(string address) => Guard(() => GetClientCoreAsync(address));

    private async Task<byte[]?> GetClientCoreAsync(string address)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT shared_keys FROM gateway_clients WHERE address = @address";
        Add(command, "address", address);
        return await command.ExecuteScalarAsync() as byte[];
    }

    public Task PutClientAsync(string address, byte[] sharedKeys) => Guard(async () =>
    {
        await PutClientCoreAsync(address, sharedKeys);
        return true;
    });

    private async Task PutClientCoreAsync(string address, byte[] sharedKeys)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO gateway_clients (address, shared_keys, registered_at) VALUES (@address, @keys, @now)
            ON CONFLICT (address) DO UPDATE SET shared_keys = excluded.shared_keys, registered_at = excluded.registered_at
            """;
        Add(command, "address", address);
        Add(command, "keys", sharedKeys);
        Add(command, "now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync();
    }

    public Task<string> ClaimIdentityAsync(string clusterId, string identityKey) => Guard(async () =>
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO gateway_identity (cluster_id, identity_key) VALUES (@cluster, @key) ON CONFLICT (cluster_id) DO NOTHING;
            SELECT identity_key FROM gateway_identity WHERE cluster_id = @cluster
            """;
        Add(command, "cluster", clusterId);
        Add(command, "key", identityKey);
        return (string)(await command.ExecuteScalarAsync())!;
    });

    public async ValueTask DisposeAsync()
    {
        // The container disposes it twice: it is registered as itself and as IGatewayStore.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _appends.Writer.TryComplete();
        _deletes.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
        await _dataSource.DisposeAsync();
    }

    private Task<T> Enqueue<T>(Channel<PendingWrite> queue, PendingWrite write, Task<T> completion)
    {
        if (!queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(AdoNetGatewayStore));
        }
        // The writer counted a failed commit once; its callers do not count it again.
        return Guard(() => completion, countFailure: false);
    }

    /// <summary>Turns the driver's exceptions (which Orleans cannot carry to an edge) into <see cref="StoreUnavailableException"/>.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> operation, bool countFailure = true)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            if (countFailure)
            {
                _metrics.StoreErrors.Add(1, SiloMetrics.Read);
            }
            throw new StoreUnavailableException($"the database did not answer: {ex.Message}");
        }
    }

    private async Task WriteLoopAsync(ChannelReader<PendingWrite> queue)
    {
        var batch = new List<PendingWrite>();
        DbConnection? connection = null;
        while (await queue.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxWritesPerCommit && queue.TryRead(out var write))
            {
                batch.Add(write);
            }
            try
            {
                connection ??= await OpenAsync(CancellationToken.None).ConfigureAwait(false);
                long started = Stopwatch.GetTimestamp();
                var results = Commit(connection, batch);
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

    /// <summary>One transaction for the whole batch, run synchronously on the writer's own thread.</summary>
    private static long[]?[] Commit(DbConnection connection, List<PendingWrite> batch) =>
        connection is NpgsqlConnection postgres ? CommitPostgres(postgres, batch) : CommitRowByRow(connection, batch);

    /// <summary>
    /// Records the replay tags (the new ones only) and stores the message of each new tag, the
    /// first copy's if a tag repeats; then says per row whether it was stored now (1), by an
    /// earlier attempt of the same delivery (0: the statement's snapshot, taken before its own
    /// inserts, holds the tag with that delivery id) or is a replay (-1).
    /// </summary>
    private const string AppendPostgres = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::bytea[], $3::bigint[], $4::bytea[], $5::uuid[]) WITH ORDINALITY AS t(address, content, received_at, tag, delivery_id, n)),
        fresh AS (
            INSERT INTO gateway_replay_tags (tag, delivery_id, seen_at) SELECT tag, delivery_id, received_at FROM input ORDER BY n
            ON CONFLICT (tag) DO NOTHING RETURNING tag),
        first AS (
            SELECT DISTINCT ON (tag) n FROM input WHERE tag IN (SELECT tag FROM fresh) ORDER BY tag, n),
        stored AS (
            INSERT INTO gateway_messages (address, content, received_at)
            SELECT address, content, received_at FROM input WHERE n IN (SELECT n FROM first) ORDER BY n RETURNING id)
        SELECT ARRAY(SELECT id FROM stored ORDER BY id),
               ARRAY(SELECT CASE WHEN n IN (SELECT n FROM first) THEN 1
                                 WHEN EXISTS (SELECT 1 FROM gateway_replay_tags g WHERE g.tag = input.tag AND g.delivery_id = input.delivery_id) THEN 0
                                 ELSE -1 END
                     FROM input ORDER BY n)
        """;

    /// <summary>
    /// PostgreSQL: one INSERT over arrays and one DELETE = ANY for the whole batch, sent as one
    /// Npgsql batch, which the server runs as one implicit transaction: a commit costs a single
    /// round trip whatever its size. Identity values are drawn in row order, so the returned
    /// ids, sorted, line up with the stored messages in the order they were sent.
    /// </summary>
    private static long[]?[] CommitPostgres(NpgsqlConnection connection, List<PendingWrite> batch)
    {
        var results = new long[]?[batch.Count];
        var addresses = new List<string>();
        var contents = new List<byte[]>();
        var receivedAt = new List<long>();
        var tags = new List<byte[]>();
        var deliveries = new List<Guid>();
        var deletes = new List<long>();
        foreach (var write in batch)
        {
            switch (write)
            {
                case AppendWrite append:
                    for (int m = 0; m < append.Messages.Count; m++)
                    {
                        addresses.Add(append.Address);
                        contents.Add(append.Messages[m]);
                        receivedAt.Add(append.ReceivedAt);
                        tags.Add(append.Tag(m).ToArray());
                        deliveries.Add(append.DeliveryId);
                    }
                    break;
                case DeleteWrite remove:
                    deletes.AddRange(remove.Ids);
                    break;
            }
        }

        using var commands = new NpgsqlBatch(connection);
        if (addresses.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(AppendPostgres);
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. addresses] });
            insert.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. contents] });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. receivedAt] });
            insert.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. tags] });
            insert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. deliveries] });
            commands.BatchCommands.Add(insert);
        }
        if (deletes.Count > 0)
        {
            var delete = new NpgsqlBatchCommand("DELETE FROM gateway_messages WHERE id = ANY($1::bigint[])");
            delete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. deletes] });
            commands.BatchCommands.Add(delete);
        }
        long[] ids = [];
        int[] states = [];
        using (var reader = commands.ExecuteReader())
        {
            if (addresses.Count > 0 && reader.Read())
            {
                ids = reader.GetFieldValue<long[]>(0);
                states = reader.GetFieldValue<int[]>(1);
            }
            // Draining the reader runs the remaining commands and ends the implicit transaction.
            while (reader.NextResult())
            {
            }
        }

        int row = 0;
        int nextId = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            if (batch[i] is AppendWrite append)
            {
                var outcomes = new long[append.Messages.Count];
                for (int m = 0; m < outcomes.Length; m++, row++)
                {
                    outcomes[m] = states[row] switch
                    {
                        1 => ids[nextId++],
                        0 => AppendOutcome.StoredEarlier,
                        _ => AppendOutcome.Replayed,
                    };
                }
                results[i] = outcomes;
            }
        }
        return results;
    }

    /// <summary>SQLite: prepared statements, one row at a time, all in one transaction (in-process, so cheap).</summary>
    private static long[]?[] CommitRowByRow(DbConnection connection, List<PendingWrite> batch)
    {
        var results = new long[]?[batch.Count];
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO gateway_messages (address, content, received_at) VALUES (@address, @content, @received) RETURNING id";
        var address = Add(insert, "address", "");
        var content = Add(insert, "content", Array.Empty<byte>());
        var received = Add(insert, "received", 0L);

        using var record = connection.CreateCommand();
        record.Transaction = transaction;
        record.CommandText = "INSERT INTO gateway_replay_tags (tag, delivery_id, seen_at) VALUES (@tag, @delivery, @seen) ON CONFLICT (tag) DO NOTHING";
        var recordTag = Add(record, "tag", Array.Empty<byte>());
        var recordDelivery = Add(record, "delivery", Guid.Empty);
        var recordSeen = Add(record, "seen", 0L);

        // A tag already there: recorded by an earlier attempt of this delivery (1), or a replay (0).
        using var owner = connection.CreateCommand();
        owner.Transaction = transaction;
        owner.CommandText = "SELECT delivery_id = @delivery FROM gateway_replay_tags WHERE tag = @tag";
        var ownerTag = Add(owner, "tag", Array.Empty<byte>());
        var ownerDelivery = Add(owner, "delivery", Guid.Empty);

        using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM gateway_messages WHERE id = @id";
        var id = Add(delete, "id", 0L);
        insert.Prepare();
        record.Prepare();
        owner.Prepare();
        delete.Prepare();

        for (int i = 0; i < batch.Count; i++)
        {
            switch (batch[i])
            {
                case AppendWrite append:
                    var outcomes = new long[append.Messages.Count];
                    address.Value = append.Address;
                    received.Value = append.ReceivedAt;
                    recordSeen.Value = append.ReceivedAt;
                    recordDelivery.Value = ownerDelivery.Value = append.DeliveryId;
                    for (int m = 0; m < outcomes.Length; m++)
                    {
                        recordTag.Value = ownerTag.Value = append.Tag(m).ToArray();
                        if (record.ExecuteNonQuery() == 1)
                        {
                            content.Value = append.Messages[m];
                            outcomes[m] = Convert.ToInt64(insert.ExecuteScalar());
                        }
                        else
                        {
                            outcomes[m] = Convert.ToInt64(owner.ExecuteScalar()) == 1 ? AppendOutcome.StoredEarlier : AppendOutcome.Replayed;
                        }
                    }
                    results[i] = outcomes;
                    break;
                case DeleteWrite remove:
                    foreach (var messageId in remove.Ids)
                    {
                        id.Value = messageId;
                        delete.ExecuteNonQuery();
                    }
                    break;
            }
        }
        transaction.Commit();
        return results;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        if (_options.Provider == StoreProvider.Sqlite)
        {
            // Durable on power loss, not just on a process crash; group commit pays for the fsync.
            await ExecuteAsync(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;", cancellationToken);
        }
        return connection;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbParameter Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Statements are prepared once per connection (auto-prepare): the writer repeats the same two.</summary>
    private static NpgsqlDataSource PostgresDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        }
        return builder.Build();
    }

    private static string SqliteConnectionString(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { Pooling = true, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();

    private abstract class PendingWrite
    {
        public abstract void Complete(long[]? result);

        public abstract void Fail(Exception error);
    }

    private sealed class AppendWrite(string address, IReadOnlyList<byte[]> messages, ReadOnlyMemory<byte> replayTags, Guid deliveryId, long receivedAt) : PendingWrite
    {
        private readonly TaskCompletionSource<long[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Address { get; } = address;
        public IReadOnlyList<byte[]> Messages { get; } = messages;
        public Guid DeliveryId { get; } = deliveryId;
        public long ReceivedAt { get; } = receivedAt;
        public ReadOnlySpan<byte> Tag(int message) => replayTags.Span.Slice(message * ReplayProtection.TagSize, ReplayProtection.TagSize);
        public Task<long[]> Completion => _completion.Task;
        public override void Complete(long[]? result) => _completion.TrySetResult(result!);
        public override void Fail(Exception error) => _completion.TrySetException(error);
    }

    private sealed class DeleteWrite(IReadOnlyList<long> ids) : PendingWrite
    {
        private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public IReadOnlyList<long> Ids { get; } = ids;
        public Task<bool> Completion => _completion.Task;
        public override void Complete(long[]? result) => _completion.TrySetResult(true);
        public override void Fail(Exception error) => _completion.TrySetException(error);
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Error, Message = "Committing {Count} queued writes failed; their callers will retry")]
    private static partial void LogCommitFailed(ILogger logger, Exception error, int count);
}
