using System.CommandLine;
using NymGateway.Cli.Hosting;

namespace NymGateway.Cli.Commands;

/// <summary>`edge`: one stateless edge host of the gateway, an Orleans client of its cluster.</summary>
public static class EdgeCommand
{
    public static Command Create()
    {
        var options = new GatewayOptions();
        var configPath = new Option<string?>("--config") { Description = "Custom path to the nym gateway configuration file" };
        var command = new Command("edge", "Runs one edge host (mix and client listeners) of the gateway's cluster");
        options.AddTo(command);
        command.Options.Add(configPath);
        command.SetAction(async (result, cancellationToken) =>
        {
            Console.WriteLine($"Starting gateway {result.GetValue(options.Id)}...");
            if (ConfigLoader.Load(result, options, configPath) is not var (config, identity))
            {
                return 1;
            }
            if (config.Database != "postgres" || string.IsNullOrEmpty(config.ResolvedPostgresConnectionString))
            {
                Console.Error.WriteLine("An edge finds its silos through PostgreSQL: pass --database \"Host=...;Database=...\" (or set NYM_GATEWAY_DATABASE).");
                return 1;
            }
            ConfigLoader.PrintStartup(config, identity);
            Console.WriteLine($"Role: edge; cluster id: {config.ClusterId}");
            await GatewayRunner.RunAsync(GatewayHostFactory.BuildClusterEdge(config, identity), cancellationToken);
            return 0;
        });
        return command;
    }
}
