using System.Runtime;
using Microsoft.Extensions.Options;

namespace NymGateway.EdgeHost.Clients;

/// <summary>
/// Gives memory back after a disconnect storm. The GC keeps the memory it committed for the most
/// clients an edge held, for allocations to come, so an edge whose clients all left stays at its
/// peak resident size. Once <see cref="EdgeLimits.MemoryTrimAfterDisconnects"/> connections closed
/// since the peak and the count stopped falling, one aggressive (compacting, decommitting) GC runs.
/// </summary>
public sealed partial class MemoryAfterStorm(ClientConnectionGate connections, IOptions<EdgeOptions> options, TimeProvider time, ILogger<MemoryAfterStorm> logger)
    : BackgroundService
{
    /// <summary>How often the count is looked at; a storm is over when it did not fall over one period.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var storm = new DisconnectStorm(options.Value.Limits.MemoryTrimAfterDisconnects);
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                int open = connections.OpenConnections;
                if (storm.EndedAt(open) is { } peak)
                {
                    Trim(peak, open);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Trim(int peak, int open)
    {
        long before = Environment.WorkingSet;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogTrimmed(logger, peak, open, before >> 20, Environment.WorkingSet >> 20);
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Client connections fell from {Peak} to {Open}: returned free memory to the system (resident {Before} MiB -> {After} MiB)")]
    private static partial void LogTrimmed(ILogger logger, int peak, int open, long before, long after);
}

/// <summary>Samples of the open connection count; says when at least threshold of them closed since the peak and the count stopped falling.</summary>
public sealed class DisconnectStorm(int threshold)
{
    private int _peak;
    private int _previous;

    /// <summary>The peak the count fell from, when a storm just ended (the next starts counting from here); else null.</summary>
    public int? EndedAt(int open)
    {
        _peak = Math.Max(_peak, open);
        int? ended = null;
        if (_peak - open >= threshold && open >= _previous)
        {
            ended = _peak;
            _peak = open;
        }
        _previous = open;
        return ended;
    }
}
