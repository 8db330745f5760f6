using Polly;
using Polly.Retry;

namespace NymGateway.EdgeHost.Resilience;

/// <summary>
/// Retry pipelines with jitter: after a silo or database restart the edges' retries spread out
/// instead of arriving in lock-step. A cancelled token ends the wait (and, as Polly checks it
/// before each attempt, skips an attempt not yet started).
/// </summary>
public static class Retries
{
    /// <summary>Retries what <paramref name="handles"/> admits, <paramref name="attempts"/> times, calling <paramref name="onRetry"/> (whose RetryDelay is the jittered wait) before each.</summary>
    public static ResiliencePipeline Build(
        TimeSpan delay,
        TimeSpan maxDelay,
        DelayBackoffType backoff,
        Func<Exception, bool> handles,
        Action<OnRetryArguments<object>> onRetry,
        TimeProvider? time = null,
        int attempts = int.MaxValue) =>
        new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                BackoffType = backoff,
                UseJitter = true,
                Delay = delay,
                MaxDelay = maxDelay,
                MaxRetryAttempts = attempts,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && handles(ex)),
                OnRetry = args =>
                {
                    onRetry(args);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
