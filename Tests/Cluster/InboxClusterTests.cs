using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NymGateway.Grains;
using NymGateway.Grains.Storage;
using NymGateway.Silo;
using NymGateway.Streaming;
using Orleans.Concurrency;
using Orleans.Streams;
using Orleans.TestingHost;
using Xunit;
using Xunit.Abstractions;

namespace NymGateway.Tests.Cluster;

/// <summary>
/// The grains in a real 2-silo cluster (Orleans TestingHost) on PostgreSQL: ADO.NET membership,
/// the gateway's tables, stream subscriptions in the database.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(PostgresServer.Collection)]
public sealed class InboxClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        await PostgresServer.EnsureReachableAsync();
        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private static GatewayStoreOptions StoreOptions() => new() { Provider = StoreProvider.Postgres, ConnectionString = PostgresServer.ConnectionString };

    private static string NewClient() => NymGateway.Nym.Encoding.Base58Text.Encode(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());

    private static byte[][] Messages(int count) => Enumerable.Range(0, count).Select(i => BitConverter.GetBytes(i)).ToArray();

    /// <summary>Fresh replay tags, one per message: the packets of a new delivery.</summary>
    private static Immutable<byte[]> Tags(int count) => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(count * ReplayProtection.TagSize));

    /// <summary>When the edge received a delivery: now, so the age sweeper leaves it alone.</summary>
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Fact]
    public async Task Stored_messages_survive_deactivation_and_the_kill_of_the_silo_that_hosted_the_inbox()
    {
        var client = NewClient();
        await _cluster.Client.GetGrain<IClientGrain>(client).Register(new byte[32]);
        var inbox = _cluster.Client.GetGrain<IInboxGrain>(client);
        Assert.Equal(new DeliveryResult(20, 0), await inbox.Deliver(Guid.NewGuid(), new Immutable<byte[][]>(Messages(20)), Tags(20), Now));

        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(Messages(20), (await inbox.Read(0, 100)).Select(m => m.Content));

        var host = await management.GetActivationAddress(inbox);
        var silo = _cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        await _cluster.KillSiloAsync(silo);

        var after = await RetryAsync(() => inbox.Read(0, 100));
        Assert.Equal(Messages(20), after.Select(m => m.Content));
        var delivery = Guid.NewGuid();
        Assert.Equal(new DeliveryResult(1, 0), await RetryAsync(() => inbox.Deliver(delivery, new Immutable<byte[][]>([[99]]), Tags(1), Now)));
    }

    [Fact]
    public async Task A_delivery_retried_after_a_timeout_is_stored_once()
    {
        var client = NewClient();
        await _cluster.Client.GetGrain<IClientGrain>(client).Register(new byte[32]);
        var inbox = _cluster.Client.GetGrain<IInboxGrain>(client);
        var delivery = Guid.NewGuid();
        var tags = Tags(3);

        Assert.Equal(new DeliveryResult(3, 0), await inbox.Deliver(delivery, new Immutable<byte[][]>(Messages(3)), tags, Now));
        Assert.Equal(new DeliveryResult(3, 0), await inbox.Deliver(delivery, new Immutable<byte[][]>(Messages(3)), tags, Now));
        Assert.Equal(new DeliveryResult(3, 0), await inbox.Deliver(Guid.NewGuid(), new Immutable<byte[][]>(Messages(3)), Tags(3), Now));
        Assert.Equal(6, (await inbox.Read(0, 100)).Length);
    }

    [Fact]
    public async Task A_retry_after_the_inbox_forgot_its_delivery_is_stored_once_and_a_replay_is_dropped()
    {
        var client = NewClient();
        await _cluster.Client.GetGrain<IClientGrain>(client).Register(new byte[32]);
        var inbox = _cluster.Client.GetGrain<IInboxGrain>(client);
        var delivery = Guid.NewGuid();
        var tags = Tags(3);
        Assert.Equal(new DeliveryResult(3, 0), await inbox.Deliver(delivery, new Immutable<byte[][]>(Messages(3)), tags, Now));

        // A new activation has no memory of the delivery: only the stored tags tell a retry (same id) from a replay (another id).
        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(new DeliveryResult(3, 0), await inbox.Deliver(delivery, new Immutable<byte[][]>(Messages(3)), tags, Now));
        var replay = await inbox.Deliver(Guid.NewGuid(), new Immutable<byte[][]>(Messages(3)), tags, Now);
        Assert.Equal((0, 0), (replay.Stored, replay.Refused));
        Assert.Equal([0, 1, 2], replay.Replayed!);
        Assert.Equal(3, (await inbox.Read(0, 100)).Length);
    }

    [Fact]
    public async Task A_notification_queue_wakes_its_waiting_reader_on_arrival_and_numbers_batches_in_order()
    {
        var queue = _cluster.Client.GetGrain<INotificationQueueGrain>($"test/{Guid.NewGuid()}");
        Assert.False(await queue.WaitForArrival(TimeSpan.FromMilliseconds(100)));

        var waiting = queue.WaitForArrival(TimeSpan.FromMinutes(5));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        var stream = StreamId.Create(InboxStreams.Namespace, "someone");
        await queue.Enqueue(new NotificationBatch(stream, ["first"], 0));
        await queue.Enqueue(new NotificationBatch(stream, ["second"], 0));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));

        var batches = await queue.Dequeue(10);
        Assert.Equal(["first", "second"], batches.SelectMany(b => b.GetEvents<string>()).Select(e => e.Item1));
        Assert.True(batches[0].SequenceNumber < batches[1].SequenceNumber);
        Assert.Empty(await queue.Dequeue(10));
    }

    [Fact]
    public async Task A_subscriber_on_one_edge_gets_what_another_edge_delivered()
    {
        var client = NewClient();
        await _cluster.Client.GetGrain<IClientGrain>(client).Register(new byte[32]);

        // A second edge: another Orleans client process-alike in this test, with its own connection.
        using var otherEdge = await StartClientAsync(_cluster.Options.ClusterId, _cluster.Options.ServiceId);
        var received = new TaskCompletionSource<InboxEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = otherEdge.Services.GetRequiredService<IClusterClient>().GetStreamProvider(InboxStreams.Provider)
            .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, client));
        var subscription = await stream.SubscribeAsync((e, _) =>
        {
            if (e.Messages.Length > 0)
            {
                received.TrySetResult(e);
            }
            return Task.CompletedTask;
        });
        await otherEdge.Services.GetRequiredService<IClusterClient>().GetGrain<IClientGrain>(client).TakeOver(Guid.NewGuid());

        await _cluster.Client.GetGrain<IInboxGrain>(client).Deliver(Guid.NewGuid(), new Immutable<byte[][]>([[1, 2, 3]]), Tags(1), Now);
        var arrival = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal([1, 2, 3], arrival.Messages.Single().Content);
        await subscription.UnsubscribeAsync();
        await otherEdge.StopAsync();
    }

    [Fact]
    public async Task A_connected_client_gets_its_next_message_pushed_soon_after_the_silo_of_its_inbox_was_killed()
    {
        var client = NewClient();
        await _cluster.Client.GetGrain<IClientGrain>(client).Register(new byte[32]);
        using var edge = await StartClientAsync(_cluster.Options.ClusterId, _cluster.Options.ServiceId);
        var pushed = Channel.CreateUnbounded<InboxMessage>();
        var subscription = await edge.Services.GetRequiredService<IClusterClient>().GetStreamProvider(InboxStreams.Provider)
            .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, client))
            .SubscribeAsync(async (e, _) =>
            {
                foreach (var message in e.Messages)
                {
                    await pushed.Writer.WriteAsync(message);
                }
            });
        await edge.Services.GetRequiredService<IClusterClient>().GetGrain<IClientGrain>(client).TakeOver(Guid.NewGuid());
        var inbox = _cluster.Client.GetGrain<IInboxGrain>(client);
        await inbox.Deliver(Guid.NewGuid(), new Immutable<byte[][]>([[1]]), Tags(1), Now);
        Assert.Equal([1], (await pushed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15))).Content);

        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var host = await management.GetActivationAddress(inbox);
        var clock = Stopwatch.StartNew();
        await _cluster.KillSiloAsync(_cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        await RetryAsync(() => inbox.Deliver(Guid.NewGuid(), new Immutable<byte[][]>([[2]]), Tags(1), Now));
        var delivered = clock.Elapsed;

        // No edge pump here, so no periodic re-read either: only a push brings it.
        var arrival = await pushed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var arrived = clock.Elapsed;
        output.WriteLine($"silo killed at 0 s; delivery committed at {delivered.TotalSeconds:F2} s; pushed at {arrived.TotalSeconds:F2} s ({(arrived - delivered).TotalMilliseconds:F0} ms after the commit)");
        Assert.Equal([2], arrival.Content);
        Assert.True(arrived - delivered < TimeSpan.FromSeconds(5), $"pushed {(arrived - delivered).TotalSeconds:F1} s after the commit");
        await subscription.UnsubscribeAsync();
        await edge.StopAsync();
    }

    private static async Task<IHost> StartClientAsync(string clusterId, string serviceId)
    {
        var host = new HostBuilder().UseOrleansClient(client =>
        {
            client.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
            new ClientConfigurator().Configure(null!, client);
        }).Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (attempt < 30 && ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or StoreUnavailableException)
            {
                await Task.Delay(500);
            }
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = PostgresServer.ConnectionString;
            });
            silo.AddAdoNetGrainStorage("PubSubStore", o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = PostgresServer.ConnectionString;
            });
            silo.Configure<Orleans.Configuration.ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
            });
            silo.AddGatewayGrains(StoreOptions(), new NotificationStreamOptions());
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client)
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = PostgresServer.ConnectionString;
            });
            client.AddNotificationStreams(InboxStreams.Provider);
        }
    }
}
