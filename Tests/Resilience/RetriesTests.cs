using NymGateway.EdgeHost.Resilience;
using Polly;
using Xunit;

namespace NymGateway.Tests.Resilience;

[Trait("Category", "Unit")]
public sealed class RetriesTests
{
    [Theory]
    [InlineData(DelayBackoffType.Exponential)]
    [InlineData(DelayBackoffType.Constant)]
    public async Task Waits_are_jittered_and_stay_under_the_cap(DelayBackoffType backoff)
    {
        var delays = new List<TimeSpan>();
        var attempts = new List<int>();
        var pipeline = Retries.Build(
            TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(8), backoff,
            handles: ex => ex is TimeoutException,
            onRetry: args => { attempts.Add(args.AttemptNumber); delays.Add(args.RetryDelay); },
            attempts: 12);

        await Assert.ThrowsAsync<TimeoutException>(async () => await pipeline.ExecuteAsync(_ => throw new TimeoutException()));

        Assert.Equal(Enumerable.Range(0, 12), attempts);
        Assert.True(delays.Distinct().Count() > 1, string.Join(", ", delays));
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(8)));
    }

    [Fact]
    public async Task An_exception_it_does_not_handle_is_not_retried()
    {
        int calls = 0;
        var pipeline = Retries.Build(
            TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), DelayBackoffType.Constant,
            handles: ex => ex is TimeoutException,
            onRetry: _ => { });

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pipeline.ExecuteAsync(_ => { calls++; throw new InvalidOperationException(); }));

        Assert.Equal(1, calls);
    }
}
