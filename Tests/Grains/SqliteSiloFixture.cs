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
/// so they share it.
/// </summary>
public sealed class SqliteSiloFixture : IAsyncLifetime
{
    public const int Limit = 5;

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
                Retention = new InboxRetention { MaxMessagesPerInbox = Limit, SweepInterval = TimeSpan.FromMilliseconds(500) },
            };
            silo.AddGatewayGrains(store, new NotificationStreamOptions());
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) => client.AddNotificationStreams(InboxStreams.Provider);
    }
}
