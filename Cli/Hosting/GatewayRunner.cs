using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NymGateway.Grains.Storage;

namespace NymGateway.Cli.Hosting;

/// <summary>Starts a built gateway host with 0.9.2's startup log lines and runs it until cancelled.</summary>
public static class GatewayRunner
{
    public static async Task RunAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("nym_gateway");
        logger.LogInformation("Starting nym gateway!");
        if (app.Services.GetService<AdoNetGatewayStore>() is { } store)
        {
            await store.InitializeAsync(cancellationToken);
        }
        logger.LogInformation("Starting mix packet forwarder...");
        logger.LogInformation("Starting clients handler");
        logger.LogInformation("Starting mix socket listener...");
        logger.LogInformation("Starting client [web]socket listener...");
        await app.StartAsync(cancellationToken);
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
}
