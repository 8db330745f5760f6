using System.CommandLine;
using NymGateway.Cli.Config;
using NymGateway.Nym.Encoding;

namespace NymGateway.Cli.Commands;

/// <summary>`check`: loads the config and keys as run, silo and edge would, and prints the effective configuration (passwords masked).</summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var options = new GatewayOptions();
        var configPath = new Option<string?>("--config") { Description = "Custom path to the nym gateway configuration file" };
        var command = new Command("check", "Validates the configuration and key files and prints the effective configuration");
        options.Id.Description = "Id of the gateway whose configuration to check";
        options.AddTo(command);
        command.Options.Add(configPath);
        command.SetAction(result =>
        {
            if (ConfigLoader.Load(result, options, configPath) is not var (config, identity))
            {
                return 1;
            }
            Console.WriteLine(ConfigRenderer.Render(config, maskSecrets: true));
            Console.WriteLine($"Public identity key: {identity.Identity.PublicKey.ToBase58()}");
            Console.WriteLine($"Public sphinx key: {Base58Text.Encode(identity.Sphinx.PublicKey)}");
            Console.WriteLine($"Configuration {config.Source.Path} and its key files are valid.");
            return 0;
        });
        return command;
    }
}
