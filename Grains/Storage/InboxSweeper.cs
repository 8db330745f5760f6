using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NymGateway.Grains.Storage;

/// <summary>Deletes messages older than the configured age, on an interval, so abandoned inboxes do not grow forever.</summary>
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
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
            {
                LogSweepFailed(logger, ex, options.Value.Retention.SweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Deleted {Count} messages older than {Age}")]
    private static partial void LogSwept(ILogger logger, int count, TimeSpan age);

    [LoggerMessage(EventId = 611, Level = LogLevel.Warning, Message = "Sweeping old messages failed; will try again in {Interval}")]
    private static partial void LogSweepFailed(ILogger logger, Exception error, TimeSpan interval);
}
