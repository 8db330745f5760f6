using System.CommandLine;
using NymGateway.Cli.Hosting;

namespace NymGateway.Cli.Commands;

/// <summary>`edge`: one stateless edge host of the gateway, an Orleans client of its cluster.</summary>
public static class EdgeCommand
{
    public static Command Create() => HostCommand.Create("edge", "Runs one edge host (mix and client listeners) of the gateway's cluster",
        "Starting gateway {0}...", needsPostgres: true,
        async (_, config, identity) =>
        {
            PortPreflight.EnsureFree(GatewayHostFactory.EdgeListeners(config));
            ConfigLoader.PrintStartup(config, identity);
            Console.WriteLine($"Role: edge; cluster id: {config.Cluster.ClusterId}");
            return await GatewayRunner.RunAsync(GatewayHostFactory.BuildClusterEdge(config, identity), gatewayLines: true, PrintClusterAsync);
        });

    private static async Task PrintClusterAsync(IServiceProvider services)
    {
        try
        {
            var silos = await services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            Console.WriteLine($"Connected to the cluster: {silos.Count} active silo(s)");
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // Connected, but the silo that answered went away just now: the edge serves on regardless.
            Console.WriteLine($"Connected to the cluster (silo count unavailable: {ex.Message})");
        }
    }
}
