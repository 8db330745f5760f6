using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NymGateway.Grains.Telemetry;

namespace NymGateway.Grains.Storage;

/// <summary>
/// Counts the stored messages and registered clients every 10 s for the silo's gauges. It asks
/// the database because, with several silos on one database, no silo sees every write.
/// </summary>
public sealed partial class StoreTotalsMonitor(IGatewayStore store, SiloMetrics metrics, ILogger<StoreTotalsMonitor> logger)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                var (messages, clients) = await store.CountTotalsAsync(stoppingToken);
                metrics.SetTotals(messages, clients);
            }
            catch (StoreUnavailableException ex)
            {
                LogCountFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 620, Level = LogLevel.Debug, Message = "Counting the stored messages failed: {Error}")]
    private static partial void LogCountFailed(ILogger logger, string error);
}
