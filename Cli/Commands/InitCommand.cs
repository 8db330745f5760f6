using System.CommandLine;
using NymGateway.Cli.Config;

namespace NymGateway.Cli.Commands;

/// <summary>`init`: writes the config and, the first time, fresh keys (0.9.2's init).</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var options = new GatewayOptions();
        var incentives = new Option<string?>("--incentives-address") { Description = "Optional, if participating in the incentives program, payment address" };
        var command = new Command("init", "Initialise the gateway");
        options.Id.Description = "Id of the gateway we want to create config for.";
        options.AddTo(command, requireHosts: true);
        command.Options.Add(incentives);
        command.SetAction(result =>
        {
            var id = result.GetValue(options.Id)!;
            Console.WriteLine($"Initialising gateway {id}...");
            var path = GatewayConfig.DefaultConfigFilePath(id);
            bool alreadyInitialised = File.Exists(path);
            if (alreadyInitialised)
            {
                Console.WriteLine($"Gateway \"{id}\" was already initialised before! Config information will be overwritten (but keys will be kept)!");
            }

            var config = GatewayConfig.CreateDefault(id);
            var overrides = options.Read(result) with { IncentivesAddress = result.GetValue(incentives) };
            try
            {
                overrides.ApplyTo(config);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"Invalid value provided - {ex.Message}");
                return 1;
            }

            if (!alreadyInitialised || !File.Exists(config.PrivateIdentityKeyFile))
            {
                GatewayKeyFiles.Create(config);
                Console.WriteLine("Saved identity and mixnet sphinx keypairs");
            }
            ConfigFile.Save(config);
            Console.WriteLine($"Saved configuration file to \"{config.ConfigFilePath}\"");
            Console.WriteLine("Gateway configuration completed.\n\n");
            return 0;
        });
        return command;
    }
}
