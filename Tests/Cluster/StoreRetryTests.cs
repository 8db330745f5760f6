using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NymGateway.Grains;
using NymGateway.Grains.Storage;
using NymGateway.Grains.Telemetry;
using Xunit;

namespace NymGateway.Tests.Cluster;

/// <summary>
/// Exactly once at the store, on both dialects: a retry of a committed delivery (the silo that took
/// the first attempt may be dead, its memory gone) stores nothing again and is told apart from a
/// replay by the delivery id committed with the replay tags. Also what the inboxes rely on: a
/// pushed message's tag recorded without its content, and ids from blocks that only grow.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(PostgresServer.Collection)]
public sealed class StoreRetryTests : IAsyncLifetime
{
    private readonly string _sqliteDirectory = Path.Combine(Path.GetTempPath(), "nym-gateway-store-tests", Guid.NewGuid().ToString("N"));
    private readonly SiloMetrics _metrics = new();

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_sqliteDirectory);
        return PostgresServer.EnsureReachableAsync();
    }

    public Task DisposeAsync()
    {
        _metrics.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_sqliteDirectory, recursive: true);
        return Task.CompletedTask;
    }

    private GatewayStore NewStore(StoreProvider provider) => provider == StoreProvider.Sqlite
        ? new SqliteGatewayStore(Options.Create(new GatewayStoreOptions { Provider = provider, ConnectionString = $"Data Source={Path.Combine(_sqliteDirectory, "gateway.sqlite")}" }), _metrics, NullLogger<SqliteGatewayStore>.Instance)
        : new PostgresGatewayStore(Options.Create(new GatewayStoreOptions { Provider = provider, ConnectionString = PostgresServer.ConnectionString }), _metrics, NullLogger<PostgresGatewayStore>.Instance);

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.Postgres)]
    public async Task A_retry_of_a_committed_delivery_through_another_store_instance_stores_nothing_twice(StoreProvider provider)
    {
        var address = Guid.NewGuid().ToString("N");
        var tags = System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 * ReplayProtection.TagSize);
        var delivery = Guid.NewGuid();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        AppendOutcome[] first;
        NewMessage[] messages;
        await using (var dead = NewStore(provider))
        {
            await dead.CreateSchemaAsync(CancellationToken.None);
            long id = IdBlocks.FirstId(await dead.TakeIdBlockAsync());
            messages = [new(id, [1]), new(id + 1, [2]), new(id + 2, [3])];
            first = await dead.AppendAsync(address, messages, tags, delivery, now);
        }
        Assert.All(first, outcome => Assert.Equal(AppendOutcome.Stored, outcome));

        // Another silo's store: no memory of the first attempt but what it committed.
        await using var store = NewStore(provider);
        Assert.All(await store.FindReplayTagsAsync(tags), recorder => Assert.Equal(delivery, recorder));
        var retry = await store.AppendAsync(address, messages, tags, delivery, now);
        Assert.Equal(messages.Length, retry.Length);
        Assert.All(retry, outcome => Assert.Equal(AppendOutcome.StoredEarlier, outcome));
        var replay = await store.AppendAsync(address, messages, tags, Guid.NewGuid(), now);
        Assert.All(replay, outcome => Assert.Equal(AppendOutcome.Replayed, outcome));
        Assert.Equal(messages.Select(m => m.Id), (await store.ReadAsync(address, 0, 100)).Select(m => m.Id));
    }

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.Postgres)]
    public async Task A_pushed_message_records_its_tag_and_no_row(StoreProvider provider)
    {
        var address = Guid.NewGuid().ToString("N");
        var tags = System.Security.Cryptography.RandomNumberGenerator.GetBytes(2 * ReplayProtection.TagSize);
        var delivery = Guid.NewGuid();
        await using var store = NewStore(provider);
        await store.CreateSchemaAsync(CancellationToken.None);
        long id = IdBlocks.FirstId(await store.TakeIdBlockAsync());

        var outcomes = await store.AppendAsync(address, [new(id, null), new(id + 1, [2])], tags, delivery, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal([AppendOutcome.Stored, AppendOutcome.Stored], outcomes);
        Assert.Equal([id + 1], (await store.ReadAsync(address, 0, 10)).Select(m => m.Id));
        Assert.Equal([delivery, delivery], await store.FindReplayTagsAsync(tags));
    }

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.Postgres)]
    public async Task A_message_acknowledged_before_it_was_written_is_never_read_and_the_sweep_deletes_its_row(StoreProvider provider)
    {
        var address = Guid.NewGuid().ToString("N");
        await using var store = NewStore(provider);
        await store.CreateSchemaAsync(CancellationToken.None);
        long id = IdBlocks.FirstId(await store.TakeIdBlockAsync());
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // The acknowledgement reaches an activation that never held the message; the one that held it writes it after.
        await store.DeleteAsync([id, id + 1]);
        var tags = System.Security.Cryptography.RandomNumberGenerator.GetBytes(2 * ReplayProtection.TagSize);
        Assert.Equal([AppendOutcome.Stored, AppendOutcome.Stored], await store.AppendAsync(address, [new(id, [1]), new(id + 2, [3])], tags, Guid.NewGuid(), now));
        Assert.Equal(0, await ScalarAsync(provider, $"SELECT COUNT(*) FROM gateway_messages WHERE id = {id}"));
        Assert.Equal([id + 2], (await store.ReadAsync(address, 0, 10)).Select(m => m.Id));

        // The two commits overlapped: the row is there, but no read or count sees it, and the sweep deletes it.
        await ScalarAsync(provider, $"INSERT INTO gateway_messages (id, address, content, received_at) VALUES ({id + 1}, '{address}', {(provider == StoreProvider.Sqlite ? "x'02'" : "'\\x02'")}, {now})");
        Assert.Equal([id + 2], (await store.ReadAsync(address, 0, 10)).Select(m => m.Id));
        Assert.Equal(1, await store.CountAsync(address));
        Assert.Equal(1, await store.DeleteAcknowledgedAsync(DateTimeOffset.UtcNow - TimeSpan.FromHours(1)));
        Assert.Equal(0, await ScalarAsync(provider, $"SELECT COUNT(*) FROM gateway_messages WHERE id = {id + 1}"));
        Assert.Equal(2, await ScalarAsync(provider, $"SELECT COUNT(*) FROM gateway_acknowledged WHERE id IN ({id}, {id + 1})"));

        // Past the age limit a late row would be swept by its age: the acknowledgements are forgotten.
        Assert.Equal(0, await store.DeleteAcknowledgedAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1)));
        Assert.Equal(0, await ScalarAsync(provider, $"SELECT COUNT(*) FROM gateway_acknowledged WHERE id IN ({id}, {id + 1})"));
    }

    private async Task<long> ScalarAsync(StoreProvider provider, string sql)
    {
        await using System.Data.Common.DbConnection connection = provider == StoreProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_sqliteDirectory, "gateway.sqlite")}")
            : new Npgsql.NpgsqlConnection(PostgresServer.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Id_blocks_start_above_the_ids_an_older_database_gave()
    {
        await using var store = NewStore(StoreProvider.Sqlite);
        await store.CreateSchemaAsync(CancellationToken.None);
        long block = await store.TakeIdBlockAsync();
        Assert.True(await store.TakeIdBlockAsync() > block);

        // As a database from before inbox ids: rows numbered by the table, no counter yet.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_sqliteDirectory, "gateway.sqlite")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP TABLE gateway_id_blocks; DELETE FROM gateway_schema_scripts WHERE name = '004_inbox_ids.sql'; INSERT INTO gateway_messages (id, address, content, received_at) VALUES ({(40 * IdBlocks.Size) + 3}, 'old', x'01', 0)";
            await command.ExecuteNonQueryAsync();
        }
        await store.CreateSchemaAsync(CancellationToken.None);
        Assert.Equal(41, await store.TakeIdBlockAsync());
    }
}
