using NymGateway.EdgeHost.Clients;
using Xunit;

namespace NymGateway.Tests.Clients;

/// <summary>When the edge gives memory back: after a fall of at least the threshold from the peak, once the count stops falling.</summary>
[Trait("Category", "Unit")]
public sealed class DisconnectStormTests
{
    [Fact]
    public void A_storm_ends_when_the_count_stops_falling_and_the_next_one_counts_from_there()
    {
        var storm = new DisconnectStorm(threshold: 1000);
        Assert.Equal([null, null, null, null, 5000, null], new[] { 3000, 5000, 3500, 800, 800, 900 }.Select(storm.EndedAt));
        // Back up to 1,500, then down by less than the threshold from that peak: no second trim.
        Assert.Equal([null, null, null], new[] { 1500, 600, 600 }.Select(storm.EndedAt));
        Assert.Equal([null, null, 2500], new[] { 2500, 1200, 1300 }.Select(storm.EndedAt));
    }

    [Fact]
    public void Steady_churn_at_the_peak_never_trims()
    {
        var storm = new DisconnectStorm(threshold: 1000);
        Assert.All(Enumerable.Range(0, 100).Select(i => storm.EndedAt(10_000 - (i % 2 * 900))), ended => Assert.Null(ended));
    }
}
