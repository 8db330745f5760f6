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
}
