using NymGateway.Mixnet;
using Xunit;

namespace NymGateway.Tests.Localnet;

[Trait("Category", "Unit")]
public sealed class AckTimeoutTests
{
    [Fact]
    public void The_wait_for_an_ACK_is_0_9_2s_delay_times_1_5_plus_1_5_seconds()
    {
        var defaults = new MixnetClientOptions();

        Assert.Equal(TimeSpan.FromMilliseconds(1_500), defaults.AckTimeout(0));
        Assert.Equal(TimeSpan.FromMilliseconds(1_800), defaults.AckTimeout(200_000_000));
        Assert.Equal(TimeSpan.FromMilliseconds(700), (defaults with { AckWaitAddition = TimeSpan.FromMilliseconds(500), AckWaitMultiplier = 1 }).AckTimeout(200_000_000));
    }
}
