using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NymGateway.Cli.Hosting;
using Xunit;

namespace NymGateway.Tests.Telemetry;

[Trait("Category", "Unit")]
public sealed class StartupLogFilterTests
{
    [Fact]
    public async Task Watchdog_warnings_pass_only_once_the_host_started_and_its_errors_always()
    {
        var (provider, recording) = Logging();
        using var _ = provider;
        var watchdog = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Runtime.Watchdog");

        watchdog.LogWarning("Participant check thread has not completed for 00:09:31");
        watchdog.LogError("internal error");
        watchdog.LogInformation("chatter");
        await StartedAsync(provider);
        watchdog.LogWarning("a real stall");
        watchdog.LogInformation("chatter");

        Assert.Equal(["Error: internal error", "Warning: a real stall"], recording.Lines);
    }

    [Fact]
    public async Task The_silo_lifecycle_s_errors_pass_only_once_the_host_started_and_its_warnings_always()
    {
        var (provider, recording) = Logging();
        using var _ = provider;
        var lifecycle = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Runtime.SiloLifecycleSubject");

        lifecycle.LogError("'IdentityClaim' failed to start due to errors at stage '1999'");
        lifecycle.LogWarning("slow stage");
        lifecycle.LogInformation("chatter");
        await StartedAsync(provider);
        lifecycle.LogError("a failure while running");

        Assert.Equal(["Warning: slow stage", "Error: a failure while running"], recording.Lines);
    }

    /// <summary>Logging as the hosts configure it: Orleans at Warning, then the filter.</summary>
    private static (ServiceProvider, RecordingLogger<StartupLogFilterTests>) Logging()
    {
        var recording = new RecordingLogger<StartupLogFilterTests>();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.AddProvider(new Provider(recording));
            logging.AddFilter("Orleans", LogLevel.Warning);
            StartupLogFilter.AddTo(logging, logging.Services);
        });
        return (services.BuildServiceProvider(), recording);
    }

    private static async Task StartedAsync(ServiceProvider provider)
    {
        foreach (var lifecycle in provider.GetServices<IHostedService>().OfType<IHostedLifecycleService>())
        {
            await lifecycle.StartedAsync(CancellationToken.None);
        }
    }

    private sealed class Provider(ILogger logger) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
