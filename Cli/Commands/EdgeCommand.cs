using System.CommandLine;
using NymGateway.Cli.Hosting;

namespace NymGateway.Cli.Commands;

/// <summary>`edge`: one stateless edge host of the gateway, an Orleans client of its cluster.</summary>
public static class EdgeCommand
{
    public static Command Create() => HostCommand.Create("edge", "Runs one edge host (mix and client listeners) of the gateway's cluster",
        "Starting gateway {0}...", needsPostgres: true,
        async (_, config, identity, cancellationToken) =>
        {
            ConfigLoader.PrintStartup(config, identity);
            Console.WriteLine($"Role: edge; cluster id: {config.ClusterId}");
            await GatewayRunner.RunAsync(GatewayHostFactory.BuildClusterEdge(config, identity), cancellationToken);
        });
}
