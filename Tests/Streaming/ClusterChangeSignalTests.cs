using NymGateway.EdgeHost;
using Xunit;

namespace NymGateway.Tests.Streaming;

[Trait("Category", "Unit")]
public sealed class ClusterChangeSignalTests
{
    [Fact]
    public void Pumps_re_read_on_every_change_and_re_subscribe_only_after_a_lost_connection_came_back()
    {
        var signal = new ClusterChangeSignal();
        int changed = 0, reconnected = 0;
        signal.Changed += () => changed++;
        signal.Reconnected += () => reconnected++;

        signal.NotifyGatewayCountChanged(2, 1, connectionRecovered: false);
        signal.NotifyClusterConnectionLost();
        Assert.Equal((2, 0), (changed, reconnected));

        signal.NotifyGatewayCountChanged(1, 0, connectionRecovered: true);
        Assert.Equal((3, 1), (changed, reconnected));
    }

    [Fact]
    public void A_removed_handler_is_not_called_and_the_others_still_are()
    {
        var signal = new ClusterChangeSignal();
        var calls = new int[3];
        Action[] handlers = [() => calls[0]++, () => calls[1]++, () => calls[2]++];
        foreach (var handler in handlers)
        {
            signal.Changed += handler;
            signal.Reconnected += handler;
        }

        signal.Changed -= handlers[1];
        signal.NotifyGatewayCountChanged(1, 0, connectionRecovered: true);

        Assert.Equal([2, 1, 2], calls);
    }
}
