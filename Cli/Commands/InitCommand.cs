using System.CommandLine;
using NymGateway.Cli.Config;

namespace NymGateway.Cli.Commands;

/// <summary>
/// `init`: writes the config and, the first time, fresh keys (0.9.2's init). On an existing
/// gateway it changes only what its flags say and keeps every other setting and the keys.
/// </summary>
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
            try
            {
                var config = File.Exists(path) ? ConfigFile.Load(path) : GatewayConfig.CreateDefault(id);
                if (File.Exists(path))
                {
                    Console.WriteLine($"Gateway \"{id}\" was already initialised before! Only the settings given as flags will change (keys are kept).");
                }
                (options.Read(result) with { IncentivesAddress = result.GetValue(incentives) }).ApplyTo(config);
                ConfigValidator.Validate(config);
                MakePathsRelative(config);

                if (!GatewayKeyFiles.Exist(config))
                {
                    GatewayKeyFiles.Create(config);
                    Console.WriteLine("Saved identity and mixnet sphinx keypairs");
                }
                ConfigFile.Save(config);
                Console.WriteLine($"Saved configuration file to \"{config.ConfigFilePath}\"");
                Console.WriteLine("Gateway configuration completed.\n\n");
                return 0;
            }
            catch (Exception ex) when (ex is ConfigException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(ex is ArgumentException ? $"Invalid value provided - {ex.Message}" : ex.Message);
                return 1;
            }
        });
        return command;
    }

    /// <summary>Paths inside the gateway directory are written relative to it, so the folder works when copied to another host or $HOME.</summary>
    private static void MakePathsRelative(GatewayConfig config)
    {
        var g = config.Gateway;
        g.PrivateIdentityKeyFile = config.Relative(g.PrivateIdentityKeyFile);
        g.PublicIdentityKeyFile = config.Relative(g.PublicIdentityKeyFile);
        g.PrivateSphinxKeyFile = config.Relative(g.PrivateSphinxKeyFile);
        g.PublicSphinxKeyFile = config.Relative(g.PublicSphinxKeyFile);
        config.Storage.SqlitePath = config.Relative(config.Storage.SqlitePath);
    }
}
