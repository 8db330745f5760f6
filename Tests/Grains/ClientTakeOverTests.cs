using NymGateway.Grains;
using Xunit;
using static NymGateway.Tests.Grains.SqliteSiloFixture;

namespace NymGateway.Tests.Grains;

/// <summary>
/// A client that reconnects: its new session drains the inbox only once the old one released the
/// client, which it does after its pushes were acknowledged; otherwise the drain finds what the
/// old session pushed and not yet deleted, and pushes it again (seen in a fault test: 138 messages twice).
/// </summary>
[Trait("Category", "Unit")]
[Collection(SqliteSiloFixture.Collection)]
public sealed class ClientTakeOverTests(SqliteSiloFixture silo)
{
    [Fact]
    public async Task A_new_session_hears_when_the_one_it_took_over_released_the_client()
    {
        var client = NewClient();
        await silo.RegisteredInboxAsync(client);
        var entry = silo.Client.GetGrain<IClientGrain>(client);
        var (older, newer) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.Null(await entry.TakeOver(older));
        Assert.Equal(older, await entry.TakeOver(newer));

        var released = entry.Released(older);
        await Task.Delay(300);
        Assert.False(released.IsCompleted);
        await entry.Release(older);
        await released.WaitAsync(IClientGrain.ReleaseWait / 2);

        // A session it never saw taken over (one of an earlier activation, say) is not waited for.
        await entry.Released(Guid.NewGuid()).WaitAsync(IClientGrain.ReleaseWait / 2);
    }
}
