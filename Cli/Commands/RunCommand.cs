using System.CommandLine;
using NymGateway.Cli.Hosting;

namespace NymGateway.Cli.Commands;

/// <summary>`run`: the whole gateway in one process on the embedded database (0.9.2's run).</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var options = new GatewayOptions();
        var configPath = new Option<string?>("--config") { Description = "Custom path to the nym gateway configuration file" };
        var command = new Command("run", "Starts the gateway");
        options.AddTo(command);
        command.Options.Add(configPath);
        command.SetAction(async (result, cancellationToken) =>
        {
            Console.WriteLine($"Starting gateway {result.GetValue(options.Id)}...");
            if (ConfigLoader.Load(result, options, configPath) is not var (config, identity))
            {
                return 1;
            }
            ConfigLoader.PrintStartup(config, identity);
            if (config.Database != "sqlite")
            {
                Console.Error.WriteLine("`run` keeps everything in one process on SQLite; for PostgreSQL run `silo` and `edge`.");
                return 1;
            }
            await GatewayRunner.RunAsync(GatewayHostFactory.BuildSingleProcess(config, identity), cancellationToken);
            return 0;
        });
        return command;
    }
}
