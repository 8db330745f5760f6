using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using NymGateway.EdgeHost;
using NymGateway.Grains;

namespace NymGateway.Cli.Hosting;

/// <summary>
/// Runs a built host (gateway, silo or edge) from start to a graceful stop: the start (where a silo
/// creates its schema and checks its keys first), the startup lines, then waits for SIGINT/SIGTERM or for the host stopping itself (a failed service).
/// </summary>
public static partial class GatewayRunner
{
    /// <param name="onStarted">Runs once the host started (an edge reports its cluster there, a silo that it is ready).</param>
    /// <param name="gatewayLines">Prints 0.9.2's startup lines around the start (run and edge, not silo).</param>
    /// <returns>The process exit code: 0 after a stop on a signal, 1 when the host could not start or a service of it failed.</returns>
    public static async Task<int> RunAsync(IHost host, bool gatewayLines, Func<IServiceProvider, Task>? onStarted = null)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("nym_gateway");
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var signals = (host.Services.GetService<IHostLifetime>() as SignalLifetime)?.Listen();
        bool started = false;
        try
        {
            if (gatewayLines)
            {
                LogStarting(logger);
            }
            if (gatewayLines)
            {
                LogStartingListeners(logger, host.Services.GetRequiredService<IOptions<EdgeOptions>>().Value);
            }
            await host.StartAsync(lifetime.ApplicationStopping);
            started = true;
            if (onStarted is not null)
            {
                await onStarted(host.Services);
            }
            if (gatewayLines)
            {
                LogFinished(logger);
            }
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (Exception ex) when (ex is OperationCanceledException or OrleansLifecycleCanceledException && lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // stopped while starting (a silo: while it waited for its database)
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OrleansException or TimeoutException or StoreUnavailableException)
        {
            // One line, not the host's stack trace: a port, a key, the cluster.
            Console.Error.WriteLine($"Failed to start: {ex.Message}");
            await DisposeAsync(host);
            return 1;
        }
        if (signals?.Signal is { } signal)
        {
            Console.WriteLine($"Received {signal} - the {(gatewayLines ? "gateway" : "silo")} will terminate now.");
        }

        var clock = Stopwatch.StartNew();
        try
        {
            await host.StopAsync(CancellationToken.None);
        }
        catch (InvalidOperationException) when (!started)
        {
            // Stopped while starting: Orleans refuses to stop a silo that never finished starting.
        }
        var failed = FailedServices(host).ToList();
        foreach (var (service, error) in failed)
        {
            Console.Error.WriteLine($"{service} failed: {error.Message}");
        }
        LogStopped(logger, clock.Elapsed.TotalMilliseconds, failed.Count == 0 ? "gracefully" : $"after a failure of {string.Join(", ", failed.Select(f => f.Service))}");
        await DisposeAsync(host);
        return failed.Count == 0 ? 0 : 1;
    }

    private static async Task DisposeAsync(IHost host)
    {
        if (host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }

    /// <summary>Background services whose loop died: the host stopped because of them, so the process exits 1.</summary>
    private static IEnumerable<(string Service, Exception Error)> FailedServices(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Where(service => service.ExecuteTask is { IsFaulted: true })
            .Select(service => (service.GetType().Name, service.ExecuteTask!.Exception!.GetBaseException()));

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting nym gateway!")]
    private static partial void LogStarting(ILogger logger);

    private static void LogStartingListeners(ILogger logger, EdgeOptions edge)
    {
        LogStartingForwarder(logger);
        LogStartingClientsHandler(logger);
        LogStartingMixListener(logger);
        LogRunningMixListener(logger, edge.MixListen);
        LogStartingMixnetListener(logger, edge.MixListen);
        LogStartingClientListener(logger);
        LogStartingWebSocketListener(logger, edge.ClientsListen);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Starting mix packet forwarder...")]
    private static partial void LogStartingForwarder(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Starting clients handler")]
    private static partial void LogStartingClientsHandler(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Starting mix socket listener...")]
    private static partial void LogStartingMixListener(ILogger logger);

    /// <summary>0.9.2 prints the address with Rust's Debug format of a string, quotes included.</summary>
    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Running mix listener on \"{Address}\"")]
    private static partial void LogRunningMixListener(ILogger logger, IPEndPoint address);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Starting mixnet listener at {Address}")]
    private static partial void LogStartingMixnetListener(ILogger logger, IPEndPoint address);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Starting client [web]socket listener...")]
    private static partial void LogStartingClientListener(ILogger logger);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Starting websocket listener at {Address}")]
    private static partial void LogStartingWebSocketListener(ILogger logger, IPEndPoint address);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Finished nym gateway startup procedure - it should now be able to receive mix and client traffic!")]
    private static partial void LogFinished(ILogger logger);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Stopped in {Milliseconds:F0} ms, {How}")]
    private static partial void LogStopped(ILogger logger, double milliseconds, string how);

}
