using Microsoft.Extensions.Logging;
using NymGateway.Grains.Storage;
using Polly;
using Polly.Retry;

namespace NymGateway.Silo;

/// <summary>
/// Creates or updates the gateway's tables (and, on PostgreSQL, Orleans' own) as the silo's first
/// step, before its membership, listeners and grains start; retries with a clear line while the
/// database is unreachable, until the start is cancelled (a signal).
/// </summary>
public sealed partial class SchemaCreation(IGatewayStore store, ILogger<SchemaCreation> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Before <see cref="ServiceLifecycleStage.RuntimeInitialize"/>, where the membership table is first read.</summary>
    public const int Stage = ServiceLifecycleStage.RuntimeInitialize - 2;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(SchemaCreation), Stage, CreateAsync);

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _retries.ExecuteAsync(async token => await store.CreateSchemaAsync(token), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while waiting: not a failure (the host goes on to stop, gracefully).
        }
    }

    /// <summary>About 2 s apart (jittered, so silos restarted together do not retry in lock-step) until the start is cancelled.</summary>
    private readonly ResiliencePipeline _retries = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            BackoffType = DelayBackoffType.Constant,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(2),
            MaxRetryAttempts = int.MaxValue,
            ShouldHandle = new PredicateBuilder().Handle<System.Data.Common.DbException>().Handle<TimeoutException>().Handle<System.Net.Sockets.SocketException>(),
            OnRetry = args =>
            {
                LogDatabaseUnreachable(logger, args.Outcome.Exception!.Message);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    [LoggerMessage(EventId = 630, Level = LogLevel.Warning, Message = "Cannot reach the database: {Error}. Retrying in 2s")]
    private static partial void LogDatabaseUnreachable(ILogger logger, string error);
}
