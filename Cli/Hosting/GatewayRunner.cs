using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NymGateway.Grains.Storage;

namespace NymGateway.Cli.Hosting;

/// <summary>Starts a built gateway host with 0.9.2's startup log lines and runs it until cancelled.</summary>
public static class GatewayRunner
{
    /// <param name="onStarted">Runs once the host started, before the "Finished" line (an edge reports its cluster there).</param>
    public static async Task RunAsync(WebApplication app, CancellationToken cancellationToken, Func<IServiceProvider, Task>? onStarted = null)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("nym_gateway");
        logger.LogInformation("Starting nym gateway!");
        if (app.Services.GetService<AdoNetGatewayStore>() is { } store)
        {
            await InitializeStoreAsync(store, logger, cancellationToken);
        }
        logger.LogInformation("Starting mix packet forwarder...");
        logger.LogInformation("Starting clients handler");
        logger.LogInformation("Starting mix socket listener...");
        logger.LogInformation("Starting client [web]socket listener...");
        await app.StartAsync(cancellationToken);
        if (onStarted is not null)
        {
            await onStarted(app.Services);
        }
        logger.LogInformation("Finished nym gateway startup procedure - it should now be able to receive mix and client traffic!");

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Received SIGINT - the gateway will terminate now.");
        }
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    /// <summary>`silo`: schema, then the silo; prints "Silo ready" once it has joined the cluster.</summary>
    public static async Task RunSiloAsync(IHost host, CancellationToken cancellationToken)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("nym_gateway");
        await InitializeStoreAsync(host.Services.GetRequiredService<AdoNetGatewayStore>(), logger, cancellationToken);
        await host.StartAsync(cancellationToken);
        var membership = host.Services.GetRequiredService<Orleans.Runtime.IClusterMembershipService>();
        int active = membership.CurrentSnapshot.Members.Values.Count(m => m.Status == Orleans.Runtime.SiloStatus.Active);
        Console.WriteLine($"Silo ready ({active} active silo(s) in the cluster)");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Received SIGINT - the silo leaves the cluster now.");
        }
        await host.StopAsync(CancellationToken.None);
        host.Dispose();
    }

    /// <summary>Creates or updates the schema, retrying with a clear message while the database is unreachable.</summary>
    private static async Task InitializeStoreAsync(AdoNetGatewayStore store, ILogger logger, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await store.InitializeAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or System.Net.Sockets.SocketException)
            {
                logger.LogError("Cannot reach the database: {Error}. Retrying in 2s", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }
}
