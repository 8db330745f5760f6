using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NymGateway.Grains.Telemetry;

namespace NymGateway.Grains.Storage;

/// <summary>The store on the embedded SQLite file (`run`; tables in sql/sqlite/): one writer for appends, deletes and the ledger alike.</summary>
public sealed class SqliteGatewayStore(IOptions<GatewayStoreOptions> options, SiloMetrics metrics, ILogger<SqliteGatewayStore> logger)
    : GatewayStore(DataSourceFor(options.Value.ConnectionString), options.Value, metrics, logger, separateDeletes: false, ledgerThroughWriter: true)
{
    /// <summary>Also sets the journal to WAL.</summary>
    public override async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await OpenAsync(cancellationToken))
        {
            // 16 KiB pages hold several ~1.6 KiB messages each (a third faster than 4 KiB); only takes effect on a new file.
            await ExecuteAsync(connection, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL;", cancellationToken);
        }
        await SchemaScripts.ApplyAsync(DataSource, StoreProvider.Sqlite, cancellationToken);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await base.OpenAsync(cancellationToken);
        // Durable on power loss, not just on a process crash; group commit pays for the fsync.
        await ExecuteAsync(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;", cancellationToken);
        return connection;
    }

    protected override AppendOutcome[]?[] Commit(DbConnection connection, List<PendingWrite> batch) => CommitRowByRow(connection, batch);

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>SQLite: prepared statements, one row at a time, all in one transaction (in-process, so cheap).</summary>
    private static AppendOutcome[]?[] CommitRowByRow(DbConnection connection, List<PendingWrite> batch)
    {
        var results = new AppendOutcome[]?[batch.Count];
        using var transaction = connection.BeginTransaction();
        // A message acknowledged before it was written (see 005_acknowledged.sql) is not written.
        using var insert = Command(connection, transaction, """
            INSERT INTO gateway_messages (id, address, content, received_at) SELECT @id, @address, @content, @received
            WHERE NOT EXISTS (SELECT 1 FROM gateway_acknowledged WHERE id = @id)
            """);
        var insertId = Add(insert, "id", 0L);
        var address = Add(insert, "address", "");
        var content = Add(insert, "content", Array.Empty<byte>());
        var received = Add(insert, "received", 0L);

        using var record = Command(connection, transaction, "INSERT INTO gateway_replay_tags (tag, delivery_id, seen_at) VALUES (@tag, @delivery, @seen) ON CONFLICT (tag) DO NOTHING");
        var recordTag = Add(record, "tag", Array.Empty<byte>());
        var recordDelivery = Add(record, "delivery", Guid.Empty);
        var recordSeen = Add(record, "seen", 0L);

        // A tag already there: recorded by an earlier attempt of this delivery (1), or a replay (0).
        using var owner = Command(connection, transaction, "SELECT delivery_id = @delivery FROM gateway_replay_tags WHERE tag = @tag");
        var ownerTag = Add(owner, "tag", Array.Empty<byte>());
        var ownerDelivery = Add(owner, "delivery", Guid.Empty);

        using var delete = Command(connection, transaction, "DELETE FROM gateway_messages WHERE id = @id");
        var id = Add(delete, "id", 0L);
        using var acknowledged = Command(connection, transaction, "INSERT INTO gateway_acknowledged (id, acknowledged_at) VALUES (@id, @at) ON CONFLICT (id) DO NOTHING");
        var acknowledgedId = Add(acknowledged, "id", 0L);
        Add(acknowledged, "at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        insert.Prepare();
        record.Prepare();
        owner.Prepare();
        delete.Prepare();
        acknowledged.Prepare();

        for (int i = 0; i < batch.Count; i++)
        {
            switch (batch[i])
            {
                case AppendWrite append:
                    var outcomes = new AppendOutcome[append.Messages.Count];
                    address.Value = append.Address;
                    received.Value = append.ReceivedAt;
                    recordSeen.Value = append.ReceivedAt;
                    recordDelivery.Value = ownerDelivery.Value = append.DeliveryId;
                    for (int m = 0; m < outcomes.Length; m++)
                    {
                        recordTag.Value = ownerTag.Value = append.Tag(m).ToArray();
                        if (record.ExecuteNonQuery() == 1)
                        {
                            // A message already pushed has no content: its tag alone is recorded.
                            if (append.Messages[m].Content is { } bytes)
                            {
                                insertId.Value = append.Messages[m].Id;
                                content.Value = bytes;
                                insert.ExecuteNonQuery();
                            }
                            outcomes[m] = AppendOutcome.Stored;
                        }
                        else
                        {
                            outcomes[m] = Convert.ToInt64(owner.ExecuteScalar()) == 1 ? AppendOutcome.StoredEarlier : AppendOutcome.Replayed;
                        }
                    }
                    results[i] = outcomes;
                    break;
                case LedgerWrite ledger:
                    using (var statement = Command(connection, transaction, ledger.Sql))
                    {
                        AddAll(statement, ledger.Parameters);
                        statement.ExecuteNonQuery();
                    }
                    break;
                case DeleteWrite remove:
                    foreach (var messageId in remove.Ids)
                    {
                        id.Value = messageId;
                        if (delete.ExecuteNonQuery() == 0)
                        {
                            acknowledgedId.Value = messageId;
                            acknowledged.ExecuteNonQuery();
                        }
                    }
                    break;
            }
        }
        transaction.Commit();
        return results;
    }

    private static DbDataSource DataSourceFor(string connectionString) => SqliteFactory.Instance.CreateDataSource(
        new SqliteConnectionStringBuilder(connectionString) { Pooling = true, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
}
