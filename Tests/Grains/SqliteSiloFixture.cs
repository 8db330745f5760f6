using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NymGateway.Grains;
using NymGateway.Grains.Storage;
using NymGateway.Silo;
using NymGateway.Streaming;
using NymGateway.Tests.Telemetry;
using Orleans.Concurrency;
using Orleans.TestingHost;
using Xunit;

namespace NymGateway.Tests.Grains;

/// <summary>
/// One in-process silo with the gateway's grains on a real SQLite store (a fresh file), an inbox
/// limit of <see cref="Limit"/> messages, and a recording logger. Tests use fresh client addresses,
/// so every class of the collection shares one.
/// </summary>
public sealed class SqliteSiloFixture : IAsyncLifetime
{
    public const string Collection = "SQLite silo";

    public const int Limit = 5;

    /// <summary>Long enough that a test acknowledges a held message well within it.</summary>
    public static readonly TimeSpan OnlineWriteDelay = TimeSpan.FromSeconds(2);

    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "nym-gateway-grain-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Every line the silo logged (in-process silos share this process, hence static).</summary>
    public static RecordingLoggerProvider Logs { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public static string DatabasePath => Path.Combine(Directory, "gateway.sqlite");

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public static string NewClient() => NymGateway.Nym.Encoding.Base58Text.Encode(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());

    public async Task<IInboxGrain> RegisteredInboxAsync(string client)
    {
        await Client.GetGrain<IClientGrain>(client).Register(new byte[32]);
        return Client.GetGrain<IInboxGrain>(client);
    }

    /// <summary>A registered client some session holds: its inbox pushes before it writes.</summary>
    public async Task<IInboxGrain> ConnectedInboxAsync(string client)
    {
        var inbox = await RegisteredInboxAsync(client);
        await Client.GetGrain<IClientGrain>(client).TakeOver(Guid.NewGuid());
        return inbox;
    }

    /// <summary>Counted in the database itself, not through the grain under test.</summary>
    public static async Task<long> CountAsync(string sql, string parameter, object value)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue(parameter, value);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static Task<long> StoredAsync(string client) => CountAsync("SELECT COUNT(*) FROM gateway_messages WHERE address = @a", "a", client);

    public static Task<long> TagsRecordedAsync(Guid delivery) => CountAsync("SELECT COUNT(*) FROM gateway_replay_tags WHERE delivery_id = @d", "d", delivery);

    public static Immutable<byte[][]> Messages(int count) => new(Enumerable.Range(0, count).Select(i => BitConverter.GetBytes(i)).ToArray());

    /// <summary>Fresh replay tags, one per message: the packets of a new delivery.</summary>
    public static Immutable<byte[]> Tags(int count) => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(count * ReplayProtection.TagSize));

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.Services.AddSingleton<ILoggerProvider>(Logs);
            var store = new GatewayStoreOptions
            {
                Provider = StoreProvider.Sqlite,
                ConnectionString = $"Data Source={DatabasePath}",
                Retention = new InboxRetention { MaxMessagesPerInbox = Limit, SweepInterval = TimeSpan.FromMilliseconds(500), OnlineWriteDelay = OnlineWriteDelay },
            };
            silo.AddGatewayGrains(store, new NotificationStreamOptions());
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) => client.AddNotificationStreams(InboxStreams.Provider);
    }
}

[CollectionDefinition(SqliteSiloFixture.Collection)]
public sealed class SqliteSiloCollection : ICollectionFixture<SqliteSiloFixture>;
