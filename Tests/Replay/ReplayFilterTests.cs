using Microsoft.Extensions.Time.Testing;
using NymGateway.Grains;
using NymGateway.Nym.Replay;
using Xunit;

namespace NymGateway.Tests.Replay;

/// <summary>The edge's replay filter: its false-positive rate at the size the config gives it, and its window.</summary>
[Trait("Category", "Unit")]
public sealed class ReplayFilterTests
{
    private static byte[] Tag(Random random)
    {
        var tag = new byte[ReplayProtection.TagSize];
        random.NextBytes(tag);
        return tag;
    }

    [Theory]
    [InlineData(100, 1000, 1_000, 1_000_000)]   // 100k tags at 1e-3, 1M probes: ~1000 expected
    [InlineData(100, 1000, 100_000, 2_000_000)] // the default rate: 100k tags at 1e-5, 2M probes: ~20 expected
    public void Fresh_tags_look_seen_at_no_more_than_the_configured_rate(int perSecond, int windowSeconds, int oneIn, int probes)
    {
        var options = new ReplayProtection { ExpectedPacketsPerSecond = perSecond, Window = TimeSpan.FromSeconds(windowSeconds), FalsePositiveOneIn = oneIn };
        var filter = new BloomFilter(options.ExpectedItems(), 1.0 / oneIn);
        var random = new Random(5);
        for (long i = 0; i < options.ExpectedItems(); i++)
        {
            filter.Add(Tag(random));
        }

        int falsePositives = 0;
        for (int i = 0; i < probes; i++)
        {
            falsePositives += filter.Contains(Tag(random)) ? 1 : 0;
        }
        double rate = (double)falsePositives / probes;
        // 1.5x the target leaves room for chance (the expected counts are 1000 and 20) and fails a wrong sizing.
        Assert.True(rate <= 1.5 / oneIn + 3.0 / probes, $"false-positive rate {rate:E2} at {filter.SizeInBytes} bytes, {filter.Hashes} hashes; target {1.0 / oneIn:E0}");
    }

    [Fact]
    public void A_copy_is_dropped_for_one_to_two_windows_then_accepted_again()
    {
        var time = new FakeTimeProvider();
        var filter = new ReplayFilter(6000, 1e-5, TimeSpan.FromMinutes(10), time);
        var random = new Random(3);
        var tag = Tag(random);

        Assert.True(filter.TryAdd(tag));
        Assert.False(filter.TryAdd(tag));
        Assert.True(filter.TryAdd(Tag(random)));

        time.Advance(TimeSpan.FromMinutes(10)); // the tag's window is now the previous one
        Assert.False(filter.TryAdd(tag));
        time.Advance(TimeSpan.FromMinutes(10)); // and now gone
        Assert.True(filter.TryAdd(tag));
    }
}
