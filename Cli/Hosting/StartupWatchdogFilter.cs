using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NymGateway.Cli.Hosting;

/// <summary>
/// Holds back the Orleans watchdog's warnings until the host has started. Orleans 10's watchdog
/// starts its platform thread before it stamps the participant check, so that thread's first
/// look (right at silo start) measures from timestamp 0, i.e. from machine boot, and warns
/// "Participant check thread has not completed for [the machine's uptime], potentially
/// indicating lock contention or deadlock" on most starts of a busy machine. A real participant
/// stall takes 20 s to be reported, so startup hides none; a real runtime stall during startup
/// would go unreported, which is the price.
/// </summary>
public sealed class StartupWatchdogFilter : IHostedLifecycleService
{
    private const string Category = "Orleans.Runtime.Watchdog";
    private volatile bool _started;

    /// <summary>The category's rule replaces the "Orleans" one (the most specific rule wins), so it repeats its Warning minimum.</summary>
    public static void AddTo(ILoggingBuilder logging, IServiceCollection services)
    {
        var filter = new StartupWatchdogFilter();
        logging.AddFilter(Category, level => level > LogLevel.Warning || (level == LogLevel.Warning && filter._started));
        services.AddSingleton<IHostedService>(filter);
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _started = true;
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
