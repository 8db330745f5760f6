using System.CommandLine;
using System.Net;
using NymGateway.Cli.Hosting;

namespace NymGateway.Cli.Commands;

/// <summary>`silo`: one silo of the gateway's cluster, on PostgreSQL.</summary>
public static class SiloCommand
{
    public static Command Create()
    {
        var options = new GatewayOptions();
        var configPath = new Option<string?>("--config") { Description = "Custom path to the nym gateway configuration file" };
        var advertise = new Option<string?>("--advertise") { Description = "IP address other silos and edges reach this silo on (default 127.0.0.1)" };
        var command = new Command("silo", "Runs one silo of the gateway's Orleans cluster (PostgreSQL)");
        options.AddTo(command);
        command.Options.Add(configPath);
        command.Options.Add(advertise);
        command.SetAction(async (result, cancellationToken) =>
        {
            Console.WriteLine($"Starting silo of gateway {result.GetValue(options.Id)}...");
            if (ConfigLoader.Load(result, options, configPath) is not var (config, _))
            {
                return 1;
            }
            if (config.Database != "postgres" || string.IsNullOrEmpty(config.ResolvedPostgresConnectionString))
            {
                Console.Error.WriteLine("A silo needs PostgreSQL: pass --database \"Host=...;Database=...\" (or set NYM_GATEWAY_DATABASE, or [storage] in the config).");
                return 1;
            }
            var address = IPAddress.Parse(result.GetValue(advertise) ?? "127.0.0.1");
            Console.WriteLine($"Role: silo; cluster id: {config.ClusterId}; silo port {config.SiloPort}, gateway port {config.GatewayPort}, advertised on {address}");
            await GatewayRunner.RunSiloAsync(GatewayHostFactory.BuildClusterSilo(config, address), cancellationToken);
            return 0;
        });
        return command;
    }
}
