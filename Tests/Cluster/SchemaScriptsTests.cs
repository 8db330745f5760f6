using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NymGateway.Grains.Storage;
using NymGateway.Grains.Telemetry;
using Xunit;

namespace NymGateway.Tests.Cluster;

/// <summary>
/// A silo applies the schema scripts at every start; against an up-to-date database it must run
/// none, because some lock whole tables: run again while inboxes write, they stalled every writer
/// and deadlocked with one (seen in a rolling restart).
/// </summary>
[Trait("Category", "Cluster")]
[Collection(PostgresServer.Collection)]
public sealed class SchemaScriptsTests : IAsyncLifetime
{
    private readonly SiloMetrics _metrics = new();

    public Task InitializeAsync() => PostgresServer.EnsureReachableAsync();

    public Task DisposeAsync()
    {
        _metrics.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_second_start_runs_no_script_and_waits_for_no_writer()
    {
        await using var store = new PostgresGatewayStore(
            Options.Create(new GatewayStoreOptions { Provider = StoreProvider.Postgres, ConnectionString = PostgresServer.ConnectionString }),
            _metrics, NullLogger<PostgresGatewayStore>.Instance);
        await store.CreateSchemaAsync(CancellationToken.None);

        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        await connection.OpenAsync();
        var scripts = new List<string>();
        await using (var names = new NpgsqlCommand("SELECT name FROM gateway_schema_scripts ORDER BY name", connection))
        await using (var reader = await names.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                scripts.Add(reader.GetString(0));
            }
        }
        Assert.Equal(Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "sql", "postgres"), "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal), scripts);

        // A writer in the middle of its transaction holds row locks on the messages and the tags.
        await using var writer = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO gateway_replay_tags (tag, delivery_id, seen_at) VALUES (decode(md5(random()::text) || md5(random()::text), 'hex'), gen_random_uuid(), 0); " +
            "INSERT INTO gateway_messages (id, address, content, received_at) VALUES (-1, 'schema-test', '\\x01', 0)", connection, writer))
        {
            await insert.ExecuteNonQueryAsync();
        }
        // A script run again would wait for that transaction to end (it never would here).
        var again = store.CreateSchemaAsync(CancellationToken.None);
        Assert.Same(again, await Task.WhenAny(again, Task.Delay(TimeSpan.FromSeconds(30))));
        await again;
        await writer.RollbackAsync();
    }
}
