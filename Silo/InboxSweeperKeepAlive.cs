using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NymGateway.Grains;
using NymGateway.Grains.Storage;

namespace NymGateway.Silo;

/// <summary>
/// Every silo, once active, makes sure the cluster's one <see cref="IInboxSweeperGrain"/> is active:
/// at start, then every minute (or sweep interval, if shorter), so the sweep goes on at most that
/// late after the silo that hosted it died. Reminders would do the same with a table of their own.
/// </summary>
public sealed partial class InboxSweeperKeepAlive(IGrainFactory grains, IOptions<GatewayStoreOptions> options, ILogger<InboxSweeperKeepAlive> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(InboxSweeperKeepAlive), ServiceLifecycleStage.Active,
        _ =>
        {
            _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
            return Task.CompletedTask;
        },
        async _ =>
        {
            await _stopping.CancelAsync();
            await _loop;
        });

    private async Task RunAsync(CancellationToken stopping)
    {
        var period = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, options.Value.Retention.SweepInterval.Ticks));
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IInboxSweeperGrain>(0).KeepAlive();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogKeepAliveFailed(logger, ex.Message, period);
            }
            await Task.Delay(period, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(EventId = 614, Level = LogLevel.Debug, Message = "Could not reach the inbox sweeper: {Error}; trying again in {Period}")]
    private static partial void LogKeepAliveFailed(ILogger logger, string error, TimeSpan period);
}
