using NymGateway.Silo;
using Xunit;

namespace NymGateway.Tests.Silo;

[Trait("Category", "Unit")]
public sealed class EdgeConnectionsTests
{
    /// <summary>
    /// Orleans keeps its sockets private; without this an Orleans upgrade that moved the field would
    /// silently bring back partitioned edges' connections that stay open until TCP gives up.
    /// </summary>
    [Fact]
    public void Finds_the_socket_of_an_Orleans_connection() => Assert.True(EdgeConnections.ReachesSockets);

    [Fact]
    public void A_silo_closes_its_side_before_an_edge_gives_up_on_a_call() =>
        Assert.True(EdgeConnections.UnacknowledgedTimeout < NymGateway.EdgeHost.ClusterClientExtensions.ResponseTimeout);
}
