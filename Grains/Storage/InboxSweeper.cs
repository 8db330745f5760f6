using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NymGateway.Grains.Storage;

/// <summary>
/// Deletes messages older than the configured age, and replay tags older than the replay window,
/// on an interval, so abandoned inboxes and the replay set do not grow forever.
/// </summary>
public sealed partial class InboxSweeper(IGatewayStore store, IOptions<GatewayStoreOptions> options, ILogger<InboxSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Retention.SweepInterval);
        do
        {
            try
            {
                int deleted = await store.DeleteOlderThanAsync(DateTimeOffset.UtcNow - options.Value.Retention.MaxMessageAge);
                if (deleted > 0)
                {
                    LogSwept(logger, deleted, options.Value.Retention.MaxMessageAge);
                }
                int forgotten = await store.DeleteReplayTagsOlderThanAsync(DateTimeOffset.UtcNow - options.Value.Replay.Window);
                LogTagsSwept(logger, forgotten, options.Value.Replay.Window);
            }
            catch (StoreUnavailableException ex)
            {
                LogSweepFailed(logger, ex, options.Value.Retention.SweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Deleted {Count} messages older than {Age}")]
    private static partial void LogSwept(ILogger logger, int count, TimeSpan age);

    [LoggerMessage(EventId = 612, Level = LogLevel.Debug, Message = "Forgot {Count} replay tags older than {Window}")]
    private static partial void LogTagsSwept(ILogger logger, int count, TimeSpan window);

    [LoggerMessage(EventId = 611, Level = LogLevel.Warning, Message = "Sweeping old messages failed; will try again in {Interval}")]
    private static partial void LogSweepFailed(ILogger logger, Exception error, TimeSpan interval);
}
