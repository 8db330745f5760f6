using System.Data.Common;
using Microsoft.Extensions.Logging;
using NymGateway.Grains.Telemetry;

namespace NymGateway.Grains.Storage;

/// <summary>
/// <see cref="IGatewayStore"/> over ADO.NET: what both dialects do alike. Appends and deletes go
/// through a <see cref="GroupCommitWriter"/>, which commits a batch the way the dialect's store
/// says; the reads and the ledger are plain SQL that SQLite and PostgreSQL run unchanged, so they
/// are written once, here. Each dialect's own SQL (its commit, its connection set-up) is written in
/// its store, beside the C# that binds its parameters and reads its results: a statement and its
/// binding change together. Its tables are in sql/&lt;dialect&gt;/, applied at start.
/// </summary>
public abstract class GatewayStore : IGatewayStore, IAsyncDisposable
{
    private readonly SiloMetrics _metrics;
    private readonly GroupCommitWriter _appends;
    private readonly GroupCommitWriter _deletes;
    private readonly bool _ledgerThroughWriter;

    /// <param name="separateDeletes">
    /// Deletes of delivered messages (never urgent) get a writer and connection of their own, so a
    /// new message never waits behind them; SQLite has a single writer anyway.
    /// </param>
    /// <param name="ledgerThroughWriter">
    /// Ledger writes join the writer's next commit instead of a connection of their own. For
    /// SQLite's one write lock: a direct write waits for it in busy sleeps, and under a stream of
    /// message commits it came last (handshake replies took up to a second under load).
    /// </param>
    protected GatewayStore(DbDataSource dataSource, GatewayStoreOptions options, SiloMetrics metrics, ILogger logger, bool separateDeletes, bool ledgerThroughWriter)
    {
        DataSource = dataSource;
        _metrics = metrics;
        _appends = new GroupCommitWriter(OpenAsync, Commit, options.MaxWritesPerCommit, metrics, logger);
        _deletes = separateDeletes ? new GroupCommitWriter(OpenAsync, Commit, options.MaxWritesPerCommit, metrics, logger) : _appends;
        _ledgerThroughWriter = ledgerThroughWriter;
    }

    protected DbDataSource DataSource { get; }

    public abstract Task CreateSchemaAsync(CancellationToken cancellationToken);

    /// <summary>One transaction for the whole batch, run synchronously on the writer's own thread.</summary>
    protected abstract AppendOutcome[]?[] Commit(DbConnection connection, List<PendingWrite> batch);

    /// <summary>An open connection, set up as the dialect needs.</summary>
    protected virtual async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    public Task<AppendOutcome[]> AppendAsync(string address, IReadOnlyList<NewMessage> messages, ReadOnlyMemory<byte> replayTags, Guid deliveryId, long receivedAt)
    {
        if (messages.Count == 0)
        {
            return Task.FromResult(Array.Empty<AppendOutcome>());
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

    /// <summary>A message row written after its acknowledgement (see sql/*/…_acknowledged.sql) is not in the inbox.</summary>
    private const string NotAcknowledged = "NOT EXISTS (SELECT 1 FROM gateway_acknowledged k WHERE k.id = m.id)";

    public Task<InboxMessage[]> ReadAsync(string address, long afterId, int maxMessages) => Guard(async () =>
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, content, received_at FROM gateway_messages m WHERE address = @address AND id > @after AND {NotAcknowledged} ORDER BY id LIMIT @limit";
        Add(command, "address", address);
        Add(command, "after", afterId);
        Add(command, "limit", maxMessages);
        var messages = new List<InboxMessage>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            messages.Add(new InboxMessage(reader.GetInt64(0), (byte[])reader.GetValue(1), reader.GetInt64(2)));
        }
        return messages.ToArray();
    });

    /// <summary>One parameter per tag: both dialects take an IN list, and a delivery carries few messages.</summary>
    public Task<Guid?[]> FindReplayTagsAsync(ReadOnlyMemory<byte> replayTags) => Guard(async () =>
    {
        int count = replayTags.Length / ReplayProtection.TagSize;
        var found = new Guid?[count];
        if (count == 0)
        {
            return found;
        }
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT tag, delivery_id FROM gateway_replay_tags WHERE tag IN ({string.Join(", ", Enumerable.Range(0, count).Select(i => $"@t{i}"))})";
        var tags = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            tags[i] = replayTags.Slice(i * ReplayProtection.TagSize, ReplayProtection.TagSize).ToArray();
            Add(command, $"t{i}", tags[i]);
        }
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var tag = (byte[])reader.GetValue(0);
            var delivery = reader.GetGuid(1);
            for (int i = 0; i < count; i++)
            {
                if (tags[i].AsSpan().SequenceEqual(tag))
                {
                    found[i] = delivery;
                }
            }
        }
        return found;
    });

    public Task<long> TakeIdBlockAsync() => Guard(async () =>
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE gateway_id_blocks SET next_block = next_block + 1 RETURNING next_block - 1";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    });

    public Task<int> CountAsync(string address) => Guard(async () =>
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM gateway_messages m WHERE address = @address AND {NotAcknowledged}";
        Add(command, "address", address);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    });

    public Task<(long Messages, long Clients)> CountTotalsAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM gateway_messages), (SELECT COUNT(*) FROM gateway_clients)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    });

    /// <summary>A sweep after a long outage deletes many rows at once; it is not on any client's path.</summary>
    private const int SweepCommandTimeoutSeconds = 300;

    /// <summary>SQLite's DELETE ... RETURNING cannot feed a GROUP BY, so the rows are counted here.</summary>
    public Task<IReadOnlyList<(string Address, int Count)>> DeleteOlderThanAsync(DateTimeOffset cutoff) => Guard(async () =>
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM gateway_messages WHERE received_at < @cutoff RETURNING address";
        command.CommandTimeout = SweepCommandTimeoutSeconds;
        Add(command, "cutoff", cutoff.ToUnixTimeMilliseconds());
        var counts = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var address = reader.GetString(0);
            counts[address] = counts.GetValueOrDefault(address) + 1;
        }
        return (IReadOnlyList<(string, int)>)[.. counts.Select(c => (c.Key, c.Value))];
    });

    public Task<int> DeleteReplayTagsOlderThanAsync(DateTimeOffset cutoff) => Guard(async () =>
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM gateway_replay_tags WHERE seen_at < @cutoff";
        command.CommandTimeout = SweepCommandTimeoutSeconds;
        Add(command, "cutoff", cutoff.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync();
    });

    public Task<int> DeleteAcknowledgedAsync(DateTimeOffset cutoff) => Guard(async () =>
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var late = connection.CreateCommand();
        late.CommandText = "DELETE FROM gateway_messages WHERE id IN (SELECT id FROM gateway_acknowledged)";
        late.CommandTimeout = SweepCommandTimeoutSeconds;
        int deleted = await late.ExecuteNonQueryAsync();
        await using var forget = connection.CreateCommand();
        forget.CommandText = "DELETE FROM gateway_acknowledged WHERE acknowledged_at < @cutoff";
        forget.CommandTimeout = SweepCommandTimeoutSeconds;
        Add(forget, "cutoff", cutoff.ToUnixTimeMilliseconds());
        await forget.ExecuteNonQueryAsync();
        return deleted;
    });

    public Task<ClientRecord?> GetClientAsync(string address) => Guard(async () =>
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.shared_keys, s.session FROM gateway_clients c LEFT JOIN gateway_sessions s ON s.address = c.address
            WHERE c.address = @address
            """;
        Add(command, "address", address);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new ClientRecord((byte[])reader.GetValue(0), reader.IsDBNull(1) ? null : reader.GetGuid(1))
            : null;
    });

    public Task PutClientAsync(string address, byte[] sharedKeys) => WriteLedgerAsync("""
        INSERT INTO gateway_clients (address, shared_keys, registered_at) VALUES (@address, @keys, @now)
        ON CONFLICT (address) DO UPDATE SET shared_keys = excluded.shared_keys, registered_at = excluded.registered_at
        """, [("address", address), ("keys", sharedKeys), ("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())]);

    public Task SetSessionAsync(string address, Guid session) => WriteLedgerAsync(
        "INSERT INTO gateway_sessions (address, session) VALUES (@address, @session) ON CONFLICT (address) DO UPDATE SET session = excluded.session",
        [("address", address), ("session", session)]);

    public Task ClearSessionAsync(string address, Guid session) => WriteLedgerAsync(
        "DELETE FROM gateway_sessions WHERE address = @address AND session = @session", [("address", address), ("session", session)]);

    private Task WriteLedgerAsync(string sql, (string Name, object Value)[] parameters)
    {
        if (_ledgerThroughWriter)
        {
            var write = new LedgerWrite(sql, parameters);
            return Enqueue(_appends, write, write.Completion);
        }
        return Guard(async () =>
        {
            await using var connection = await OpenAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            AddAll(command, parameters);
            return await command.ExecuteNonQueryAsync();
        });
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
        await Task.WhenAll(_appends.CompleteAsync(), _deletes.CompleteAsync()).ConfigureAwait(false);
        await DataSource.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected internal static DbParameter Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    protected static void AddAll(DbCommand command, IReadOnlyList<(string Name, object Value)> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }
    }

    protected static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<T> Enqueue<T>(GroupCommitWriter writer, PendingWrite write, Task<T> completion) =>
        // The writer counted a failed commit once; its callers do not count it again.
        Guard(() => writer.Enqueue(write, completion), countFailure: false);

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
}
