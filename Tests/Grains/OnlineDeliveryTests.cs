using NymGateway.Grains;
using NymGateway.Grains.Storage;
using Xunit;
using static NymGateway.Tests.Grains.SqliteSiloFixture;

namespace NymGateway.Tests.Grains;

/// <summary>
/// Delivered or durable, against a real SQLite store: a connected client's messages are held, not
/// written, until their push is acknowledged or the write delay ends; ids are the inbox's own.
/// </summary>
[Trait("Category", "Unit")]
[Collection(SqliteSiloFixture.Collection)]
public sealed class OnlineDeliveryTests(SqliteSiloFixture silo)
{
    [Fact]
    public async Task A_message_acknowledged_within_the_write_delay_is_never_written_only_its_replay_tag()
    {
        var client = NewClient();
        var inbox = await silo.ConnectedInboxAsync(client);
        var delivery = Guid.NewGuid();
        var tags = Tags(1);
        var delivering = inbox.Deliver(delivery, Messages(1), tags, Now);

        // Held: a drain reads it from the inbox, and the answer (the SURB-ACK) waits for its push.
        var held = await ReadUntilAsync(inbox, 1);
        Assert.Equal(0, await StoredAsync(client));
        Assert.False(delivering.IsCompleted);

        await inbox.Acknowledge([held[0].Id]);
        Assert.Equal(new DeliveryResult(1, 0), await delivering.WaitAsync(OnlineWriteDelay / 2));
        await WaitUntilAsync(async () => await TagsRecordedAsync(delivery) == 1);
        Assert.Equal(0, await StoredAsync(client));
        Assert.Empty(await inbox.Read(0, 10));

        // The tag alone still makes a copy of the packet a replay.
        AssertReplayed(await inbox.Deliver(Guid.NewGuid(), Messages(1), tags, Now));
    }

    [Fact]
    public async Task A_delivery_is_numbered_long_before_it_is_answered_and_before_the_next()
    {
        var client = NewClient();
        var inbox = await silo.ConnectedInboxAsync(client);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        // The edge's order: its call to know the numbering may overtake the delivery; it waits for it.
        var firstNumbered = inbox.Numbered(first);
        var firstAnswer = inbox.Deliver(first, new([[1]]), Tags(1), Now);
        Assert.True(await firstNumbered);
        var secondAnswer = inbox.Deliver(second, new([[2]]), Tags(1), Now);
        Assert.True(await inbox.Numbered(second));

        // Both numbered in the order sent and held; neither answered before its push (or the write delay).
        var held = await ReadUntilAsync(inbox, 2);
        Assert.Equal([1, 2], held.Select(m => (int)m.Content[0]));
        Assert.False(firstAnswer.IsCompleted);
        await inbox.Acknowledge([held[0].Id]);
        Assert.Equal(new DeliveryResult(1, 0), await firstAnswer.WaitAsync(OnlineWriteDelay / 2));

        // The other is written at the end of its delay; a delivery that never comes is never numbered.
        Assert.Equal(new DeliveryResult(1, 0), await secondAnswer);
        Assert.Equal(1, await StoredAsync(client));
        Assert.False(await inbox.Numbered(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_message_not_acknowledged_in_time_is_written_before_the_answer_and_deleted_by_its_acknowledge()
    {
        var client = NewClient();
        var inbox = await silo.ConnectedInboxAsync(client);
        var started = DateTime.UtcNow;
        Assert.Equal(new DeliveryResult(2, 0), await inbox.Deliver(Guid.NewGuid(), Messages(2), Tags(2), Now));
        Assert.True(DateTime.UtcNow - started >= OnlineWriteDelay * 0.9);
        Assert.Equal(2, await StoredAsync(client));

        var stored = await inbox.Read(0, 10);
        await inbox.Acknowledge([.. stored.Select(m => m.Id)]);
        Assert.Equal(0, await StoredAsync(client));
    }

    [Fact]
    public async Task A_copy_of_a_held_message_is_dropped_before_it_is_pushed()
    {
        var client = NewClient();
        var inbox = await silo.ConnectedInboxAsync(client);
        var tags = Tags(1);
        var first = inbox.Deliver(Guid.NewGuid(), Messages(1), tags, Now);
        await ReadUntilAsync(inbox, 1);
        AssertReplayed(await inbox.Deliver(Guid.NewGuid(), Messages(1), tags, Now));
        Assert.Equal(new DeliveryResult(1, 0), await first);
        Assert.Single(await inbox.Read(0, 10));
    }

    [Fact]
    public async Task Ids_follow_the_order_the_inbox_accepted_messages_also_after_it_moved()
    {
        var client = NewClient();
        var inbox = await silo.RegisteredInboxAsync(client);
        await inbox.Deliver(Guid.NewGuid(), Messages(2), Tags(2), Now);
        var before = await inbox.Read(0, 10);

        // A new activation (as after its silo died) takes a new block: its ids are higher still.
        await silo.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await inbox.Deliver(Guid.NewGuid(), Messages(2), Tags(2), Now);
        var ids = (await inbox.Read(0, 10)).Select(m => m.Id).ToArray();

        Assert.Equal(4, ids.Length);
        Assert.Equal(before.Select(m => m.Id), ids[..2]);
        Assert.Equal(ids.Order(), ids);
        Assert.True(ids[2] / IdBlocks.Size > ids[1] / IdBlocks.Size, $"ids {string.Join(", ", ids)} should come from a later block");
    }

    private static void AssertReplayed(DeliveryResult result)
    {
        Assert.Equal((0, 0), (result.Stored, result.Refused));
        Assert.Equal([0], result.Replayed ?? []);
    }

    private static async Task<InboxMessage[]> ReadUntilAsync(IInboxGrain inbox, int count)
    {
        InboxMessage[] messages = [];
        await WaitUntilAsync(async () => (messages = await inbox.Read(0, 10)).Length >= count);
        return messages;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(20);
        }
    }
}
