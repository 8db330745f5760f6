using NymGateway.Grains;
using Orleans.Concurrency;
using Orleans.Streams;
using Xunit;
using static NymGateway.Tests.Grains.SqliteSiloFixture;

namespace NymGateway.Tests.Grains;

/// <summary>The inbox's policy, against a real SQLite store in an in-process silo: who may receive, how much, replays, and when it announces.</summary>
[Trait("Category", "Unit")]
[Collection(SqliteSiloFixture.Collection)]
public sealed class InboxPolicyTests(SqliteSiloFixture silo)
{
    [Fact]
    public async Task A_client_that_never_registered_gets_nothing_stored()
    {
        var client = NewClient();
        var result = await silo.Client.GetGrain<IInboxGrain>(client).Deliver(Guid.NewGuid(), Messages(3), Tags(3), Now);
        Assert.Equal(new DeliveryResult(0, 3), result);
        Assert.Equal(0, await StoredAsync(client));
    }

    [Fact]
    public async Task The_limit_takes_what_fits_refuses_the_rest_and_says_full_once()
    {
        var client = NewClient();
        var inbox = await silo.RegisteredInboxAsync(client);
        Assert.Equal(new DeliveryResult(3, 0), await inbox.Deliver(Guid.NewGuid(), Messages(3), Tags(3), Now));
        Assert.Equal(new DeliveryResult(2, 2), await inbox.Deliver(Guid.NewGuid(), Messages(4), Tags(4), Now));
        Assert.Equal(new DeliveryResult(0, 1), await inbox.Deliver(Guid.NewGuid(), Messages(1), Tags(1), Now));
        Assert.Equal(Limit, await StoredAsync(client));
        Assert.Single(FullReports(client));
    }

    [Fact]
    public async Task An_acknowledge_makes_room_and_a_full_inbox_that_drained_says_full_again()
    {
        var client = NewClient();
        var inbox = await silo.RegisteredInboxAsync(client);
        Assert.Equal(new DeliveryResult(Limit, 1), await inbox.Deliver(Guid.NewGuid(), Messages(Limit + 1), Tags(Limit + 1), Now));

        var stored = await inbox.Read(0, 100);
        await inbox.Acknowledge([stored[0].Id, stored[1].Id]);
        Assert.Equal(new DeliveryResult(2, 1), await inbox.Deliver(Guid.NewGuid(), Messages(3), Tags(3), Now));
        Assert.Equal(Limit, await StoredAsync(client));
        Assert.Equal(2, FullReports(client).Count);
    }

    [Fact]
    public async Task A_replay_is_reported_by_index_and_not_stored()
    {
        var client = NewClient();
        var inbox = await silo.RegisteredInboxAsync(client);
        var tags = Tags(2);
        Assert.Equal(new DeliveryResult(2, 0), await inbox.Deliver(Guid.NewGuid(), Messages(2), tags, Now));

        // Another delivery: the first packet is new, the second replays the first delivery's second.
        var mixed = new Immutable<byte[]>([.. Tags(1).Value, .. tags.Value[ReplayProtection.TagSize..]]);
        var result = await inbox.Deliver(Guid.NewGuid(), Messages(2), mixed, Now);
        Assert.Equal((1, 0), (result.Stored, result.Refused));
        Assert.Equal([1], result.Replayed!);
        Assert.Equal(3, await StoredAsync(client));
    }

    [Fact]
    public async Task A_retry_that_reaches_a_new_activation_stores_nothing_twice_and_gets_the_first_answer()
    {
        var client = NewClient();
        var inbox = await silo.RegisteredInboxAsync(client);
        var delivery = Guid.NewGuid();
        var tags = Tags(3);
        var first = await inbox.Deliver(delivery, Messages(3), tags, Now);

        await silo.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(first, await inbox.Deliver(delivery, Messages(3), tags, Now));
        Assert.Equal(3, await StoredAsync(client));
    }

    [Fact]
    public async Task A_retry_into_an_inbox_its_first_attempt_filled_gets_the_first_answer_from_a_new_activation()
    {
        var client = NewClient();
        var inbox = await silo.RegisteredInboxAsync(client);
        Assert.Equal(new DeliveryResult(2, 0), await inbox.Deliver(Guid.NewGuid(), Messages(2), Tags(2), Now));
        var delivery = Guid.NewGuid();
        var tags = Tags(Limit);
        var first = await inbox.Deliver(delivery, Messages(Limit), tags, Now);
        Assert.Equal(new DeliveryResult(Limit - 2, 2), first);

        // The new activation counts a full inbox; the messages the first attempt stored still count as this delivery's.
        await silo.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(first, await inbox.Deliver(delivery, Messages(Limit), tags, Now));
        Assert.Equal(Limit, await StoredAsync(client));
    }

    [Fact]
    public async Task New_messages_are_announced_only_while_the_client_is_online()
    {
        var client = NewClient();
        var inbox = await silo.RegisteredInboxAsync(client);
        var events = new List<InboxEvent>();
        var arrived = new SemaphoreSlim(0);
        var subscription = await silo.Client.GetStreamProvider(InboxStreams.Provider)
            .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, client))
            .SubscribeAsync((e, _) =>
            {
                lock (events)
                {
                    events.Add(e);
                }
                arrived.Release();
                return Task.CompletedTask;
            });

        await inbox.Deliver(Guid.NewGuid(), Messages(1), Tags(1), Now);
        var session = Guid.NewGuid();
        await silo.Client.GetGrain<IClientGrain>(client).TakeOver(session);
        await inbox.Deliver(Guid.NewGuid(), new Immutable<byte[][]>([[7]]), Tags(1), Now);
        Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(15)));
        await silo.Client.GetGrain<IClientGrain>(client).Release(session);
        await inbox.Deliver(Guid.NewGuid(), Messages(1), Tags(1), Now);

        // Stream events arrive in order: a marker sent after the offline delivery shows none came before it.
        await silo.Client.GetGrain<IClientGrain>(client).TakeOver(Guid.NewGuid());
        await inbox.Deliver(Guid.NewGuid(), new Immutable<byte[][]>([[8]]), Tags(1), Now);
        Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(15)));
        await subscription.UnsubscribeAsync();
        lock (events)
        {
            Assert.Equal([[7], [8]], events.Select(e => e.Messages.Single().Content));
        }
    }

    [Fact]
    public async Task The_age_sweep_deletes_old_messages_and_the_inbox_counts_again()
    {
        var client = NewClient();
        var inbox = await silo.RegisteredInboxAsync(client);
        long twoDaysAgo = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeMilliseconds();
        Assert.Equal(new DeliveryResult(Limit, 0), await inbox.Deliver(Guid.NewGuid(), Messages(Limit), Tags(Limit), twoDaysAgo));
        Assert.Equal(new DeliveryResult(0, 1), await inbox.Deliver(Guid.NewGuid(), Messages(1), Tags(1), Now));

        // The cluster's sweeper (every 500 ms here) deletes them, then tells the inbox, whose count would otherwise stay full.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        DeliveryResult result;
        while ((result = await inbox.Deliver(Guid.NewGuid(), Messages(1), Tags(1), Now)).Stored == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Equal(new DeliveryResult(1, 0), result);
        Assert.Equal(1, await StoredAsync(client));
    }

    private static List<string> FullReports(string client) =>
        [.. Logs.Lines.Where(l => l.Contains("is full", StringComparison.Ordinal) && l.Contains(new ClientAddressPrefix(client).ToString(), StringComparison.Ordinal))];
}
