using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NymGateway.Grains.Storage;

namespace NymGateway.Grains;

/// <summary>
/// Deletes messages older than the configured age, messages written after their acknowledgement,
/// and replay tags older than the replay window,
/// on an interval, so abandoned inboxes and the replay set do not grow forever. The inbox count
/// stays the inbox's: each inbox that lost messages is told so, and re-reads its count.
/// </summary>
public sealed partial class InboxSweeperGrain(IGatewayStore store, IOptions<GatewayStoreOptions> options, ILogger<InboxSweeperGrain> logger)
    : Grain, IInboxSweeperGrain
{
    /// <summary>Inboxes told at once; the rest wait, so a large sweep does not flood the cluster.</summary>
    private const int ConcurrentNotifications = 256;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Kept alive by its timer: the sweep must not stop because nobody called the grain.
        this.RegisterGrainTimer(SweepAsync, new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.Retention.SweepInterval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task KeepAlive() => Task.CompletedTask;

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value.Retention;
        try
        {
            var swept = await store.DeleteOlderThanAsync(DateTimeOffset.UtcNow - retention.MaxMessageAge);
            if (swept.Count > 0)
            {
                LogSwept(logger, swept.Sum(s => s.Count), swept.Count, retention.MaxMessageAge);
                await NotifyAsync(swept.Select(s => s.Address), cancellationToken);
            }
            int late = await store.DeleteAcknowledgedAsync(DateTimeOffset.UtcNow - retention.MaxMessageAge);
            if (late > 0)
            {
                LogLateSwept(logger, late);
            }
            int forgotten = await store.DeleteReplayTagsOlderThanAsync(DateTimeOffset.UtcNow - options.Value.Replay.Window);
            LogTagsSwept(logger, forgotten, options.Value.Replay.Window);
        }
        catch (StoreUnavailableException ex)
        {
            LogSweepFailed(logger, ex, retention.SweepInterval);
        }
    }

    private async Task NotifyAsync(IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        foreach (var chunk in addresses.Chunk(ConcurrentNotifications))
        {
            try
            {
                await Task.WhenAll(chunk.Select(address => GrainFactory.GetGrain<IInboxGrain>(address).MessagesExpired())).WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // An inbox not told keeps a count too high: it refuses early until it reactivates.
                LogNotifyFailed(logger, ex, chunk.Length);
            }
        }
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Deleted {Count} messages of {Inboxes} inboxes, older than {Age}")]
    private static partial void LogSwept(ILogger logger, int count, int inboxes, TimeSpan age);

    [LoggerMessage(EventId = 615, Level = LogLevel.Information, Message = "Deleted {Count} messages written after their client had them (an inbox active on two silos at once)")]
    private static partial void LogLateSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 612, Level = LogLevel.Debug, Message = "Forgot {Count} replay tags older than {Window}")]
    private static partial void LogTagsSwept(ILogger logger, int count, TimeSpan window);

    [LoggerMessage(EventId = 611, Level = LogLevel.Warning, Message = "Sweeping old messages failed; will try again in {Interval}")]
    private static partial void LogSweepFailed(ILogger logger, Exception error, TimeSpan interval);

    [LoggerMessage(EventId = 613, Level = LogLevel.Warning, Message = "Could not tell {Count} inboxes that old messages were swept; they recount when they next activate")]
    private static partial void LogNotifyFailed(ILogger logger, Exception error, int count);
}
