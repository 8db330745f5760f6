namespace NymGateway.Cli.Hosting;

/// <summary>
/// Holds back, until the host has started, what Orleans says wrongly or twice at start.
///
/// The watchdog's warnings: Orleans 10's watchdog
/// starts its platform thread before it stamps the participant check, so that thread's first
/// look (right at silo start) measures from timestamp 0, i.e. from machine boot, and warns
/// "Participant check thread has not completed for [the machine's uptime], potentially
/// indicating lock contention or deadlock" on most starts of a busy machine. A real participant
/// stall takes 20 s to be reported, so startup hides none; a real runtime stall during startup
/// would go unreported, which is the price.
///
/// The silo's start errors: a start step that fails (another gateway's keys, see
/// <see cref="IdentityClaim"/>) is logged by the silo's lifecycle three times with stack traces,
/// then the runner prints it as the one line it is; an exception the runner does not expect still
/// ends the process with its trace.
/// </summary>
public sealed class StartupLogFilter : IHostedLifecycleService
{
    private const string Watchdog = "Orleans.Runtime.Watchdog";

    /// <summary>The silo and its lifecycle (a category rule also covers the names it begins).</summary>
    private const string Silo = "Orleans.Runtime.Silo";

    private volatile bool _started;

    /// <summary>A category's rule replaces the "Orleans" one (the most specific rule wins), so it repeats its Warning minimum.</summary>
    public static void AddTo(ILoggingBuilder logging, IServiceCollection services)
    {
        var filter = new StartupLogFilter();
        logging.AddFilter(Watchdog, level => level > LogLevel.Warning || (level == LogLevel.Warning && filter._started));
        logging.AddFilter(Silo, level => level == LogLevel.Warning || (level > LogLevel.Warning && filter._started));
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
