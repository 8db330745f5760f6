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
/// replay by the delivery id committed with the replay tags.
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
        byte[][] messages = [[1], [2], [3]];
        var tags = System.Security.Cryptography.RandomNumberGenerator.GetBytes(messages.Length * ReplayProtection.TagSize);
        var delivery = Guid.NewGuid();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        long[] first;
        await using (var dead = NewStore(provider))
        {
            await dead.CreateSchemaAsync(CancellationToken.None);
            first = await dead.AppendAsync(address, messages, tags, delivery, now);
        }
        Assert.All(first, id => Assert.True(id > 0));

        // Another silo's store: no memory of the first attempt but what it committed.
        await using var store = NewStore(provider);
        Assert.Equal(messages.Length, await store.CountStoredByAsync(delivery, tags));
        var retry = await store.AppendAsync(address, messages, tags, delivery, now);
        Assert.Equal(messages.Length, retry.Length);
        Assert.All(retry, outcome => Assert.Equal(AppendOutcome.StoredEarlier, outcome));
        var replay = await store.AppendAsync(address, messages, tags, Guid.NewGuid(), now);
        Assert.All(replay, outcome => Assert.Equal(AppendOutcome.Replayed, outcome));
        Assert.Equal(0, await store.CountStoredByAsync(Guid.NewGuid(), tags));
        Assert.Equal(first, (await store.ReadAsync(address, 0, 100)).Select(m => m.Id));
    }
}
