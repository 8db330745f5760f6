using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NymGateway.Cli.Hosting;
using Xunit;

namespace NymGateway.Tests.Telemetry;

public sealed class StartupWatchdogFilterTests
{
    [Fact]
    public async Task Watchdog_warnings_pass_only_once_the_host_started_and_its_errors_always()
    {
        var recording = new RecordingLogger<StartupWatchdogFilterTests>();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.AddProvider(new Provider(recording));
            logging.AddFilter("Orleans", LogLevel.Warning);
            StartupWatchdogFilter.AddTo(logging, logging.Services);
        });
        using var provider = services.BuildServiceProvider();
        var watchdog = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Runtime.Watchdog");

        watchdog.LogWarning("Participant check thread has not completed for 00:09:31");
        watchdog.LogError("internal error");
        watchdog.LogInformation("chatter");
        foreach (var lifecycle in provider.GetServices<IHostedService>().OfType<IHostedLifecycleService>())
        {
            await lifecycle.StartedAsync(CancellationToken.None);
        }
        watchdog.LogWarning("a real stall");
        watchdog.LogInformation("chatter");

        Assert.Equal(["Error: internal error", "Warning: a real stall"], recording.Lines);
    }

    private sealed class Provider(ILogger logger) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
