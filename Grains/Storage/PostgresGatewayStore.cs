using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NymGateway.Grains.Telemetry;

namespace NymGateway.Grains.Storage;

/// <summary>
/// The store on PostgreSQL (cluster mode; tables in sql/postgres/). A commit is one statement over
/// arrays, so it costs a single round trip whatever its size; deletes have a writer of their own.
/// </summary>
public sealed class PostgresGatewayStore(IOptions<GatewayStoreOptions> options, SiloMetrics metrics, ILogger<PostgresGatewayStore> logger)
    : GatewayStore(DataSourceFor(options.Value.ConnectionString), options.Value, metrics, logger, separateDeletes: true, ledgerThroughWriter: false)
{
    public override Task CreateSchemaAsync(CancellationToken cancellationToken) =>
        SchemaScripts.ApplyAsync(DataSource, StoreProvider.Postgres, cancellationToken);

    protected override AppendOutcome[]?[] Commit(DbConnection connection, List<PendingWrite> batch) => CommitBatch((NpgsqlConnection)connection, batch);

    /// <summary>
    /// Records the replay tags (the new ones only) and stores, under its id, the message of each
    /// new tag that has content (the first copy's if a tag repeats); then says per row whether it
    /// was recorded now (1), by an earlier attempt of the same delivery (0: the statement's
    /// snapshot, taken before its own inserts, holds the tag with that delivery id) or is a replay (-1).
    /// </summary>
    private const string Append = """
        WITH input AS (
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::bigint[], $5::bytea[], $6::uuid[])
                WITH ORDINALITY AS t(id, address, content, received_at, tag, delivery_id, n)),
        fresh AS (
            INSERT INTO gateway_replay_tags (tag, delivery_id, seen_at) SELECT tag, delivery_id, received_at FROM input ORDER BY n
            ON CONFLICT (tag) DO NOTHING RETURNING tag),
        first AS (
            SELECT DISTINCT ON (tag) n FROM input WHERE tag IN (SELECT tag FROM fresh) ORDER BY tag, n),
        stored AS (
            INSERT INTO gateway_messages (id, address, content, received_at)
            SELECT id, address, content, received_at FROM input WHERE n IN (SELECT n FROM first) AND content IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM gateway_acknowledged k WHERE k.id = input.id))
        SELECT ARRAY(SELECT CASE WHEN n IN (SELECT n FROM first) THEN 1
                                 WHEN EXISTS (SELECT 1 FROM gateway_replay_tags g WHERE g.tag = input.tag AND g.delivery_id = input.delivery_id) THEN 0
                                 ELSE -1 END
                     FROM input ORDER BY n)
        """;

    /// <summary>
    /// Deletes the acknowledged messages and remembers the ids it found no row for: their message
    /// may be written later (by an activation of the inbox still stopping elsewhere), and is then
    /// neither stored nor read. Run after the batch's appends, so it sees their rows.
    /// </summary>
    private const string Delete = """
        WITH gone AS (DELETE FROM gateway_messages WHERE id = ANY($1::bigint[]) RETURNING id)
        INSERT INTO gateway_acknowledged (id, acknowledged_at)
        SELECT i, $2 FROM unnest($1::bigint[]) AS i WHERE i NOT IN (SELECT id FROM gone)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>
    /// PostgreSQL: one INSERT over arrays and one DELETE = ANY for the whole batch, sent as one
    /// Npgsql batch, which the server runs as one implicit transaction: a commit costs a single
    /// round trip whatever its size.
    /// </summary>
    private static AppendOutcome[]?[] CommitBatch(NpgsqlConnection connection, List<PendingWrite> batch)
    {
        var results = new AppendOutcome[]?[batch.Count];
        var ids = new List<long>();
        var addresses = new List<string>();
        var contents = new List<byte[]?>();
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
                        ids.Add(append.Messages[m].Id);
                        addresses.Add(append.Address);
                        contents.Add(append.Messages[m].Content);
                        receivedAt.Add(append.ReceivedAt);
                        tags.Add(append.Tag(m).ToArray());
                        deliveries.Add(append.DeliveryId);
                    }
                    break;
                case DeleteWrite remove:
                    deletes.AddRange(remove.Ids);
                    break;
                default:
                    throw new NotSupportedException($"a {write.GetType().Name} is written on a connection of its own on PostgreSQL");
            }
        }

        using var commands = new NpgsqlBatch(connection);
        if (addresses.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(Append);
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ids] });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. addresses] });
            insert.Parameters.Add(new NpgsqlParameter<byte[]?[]> { TypedValue = [.. contents] });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. receivedAt] });
            insert.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. tags] });
            insert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. deliveries] });
            commands.BatchCommands.Add(insert);
        }
        if (deletes.Count > 0)
        {
            var delete = new NpgsqlBatchCommand(Delete);
            delete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. deletes] });
            delete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
            commands.BatchCommands.Add(delete);
        }
        int[] states = [];
        using (var reader = commands.ExecuteReader())
        {
            if (addresses.Count > 0 && reader.Read())
            {
                states = reader.GetFieldValue<int[]>(0);
            }
            // Draining the reader runs the remaining commands and ends the implicit transaction.
            while (reader.NextResult())
            {
            }
        }

        int row = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            if (batch[i] is AppendWrite append)
            {
                var outcomes = new AppendOutcome[append.Messages.Count];
                for (int m = 0; m < outcomes.Length; m++, row++)
                {
                    outcomes[m] = (AppendOutcome)states[row];
                }
                results[i] = outcomes;
            }
        }
        return results;
    }

    /// <summary>
    /// Statements are prepared once per connection (auto-prepare): the writer repeats the same two.
    /// Commands give up after 5 s unless the connection string says otherwise: after a partition
    /// heals, a command sent into it waits out TCP's retransmission backoff (measured: 8 to 37 s
    /// past the heal with Npgsql's 30 s); a timed-out commit is retried under its delivery id, so
    /// the retry stores nothing twice. The age sweep sets its own, longer timeout.
    /// </summary>
    private static NpgsqlDataSource DataSourceFor(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        }
        if (!CommandTimeoutGiven(connectionString))
        {
            builder.ConnectionStringBuilder.CommandTimeout = 5;
        }
        return builder.Build();
    }

    private static bool CommandTimeoutGiven(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.ContainsKey("Command Timeout") || given.ContainsKey("CommandTimeout");
    }
}
