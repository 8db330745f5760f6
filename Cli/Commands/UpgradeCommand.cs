using System.CommandLine;
using NymGateway.Cli.Config;

namespace NymGateway.Cli.Commands;

/// <summary>
/// `upgrade`: 0.9.2's config upgrade. A 0.9.x config (0.9.0, 0.9.1) gets version 0.9.2 (and the
/// incentives address, if given); its format is the same, so nothing else changes. Configs from
/// before 0.9.0 carried no version; as 0.9.2 does for releases before 0.8, we ask for `init`.
/// </summary>
public static class UpgradeCommand
{
    public static Command Create()
    {
        var id = new Option<string>("--id") { Description = "Id of the nym-gateway we want to upgrade", Required = true };
        var currentVersion = new Option<string?>("--current-version")
        {
            Description = "0.9.2's flag for pre-0.9.0 configs; accepted, but those configs are refused here (run `init`)",
        };
        var incentives = new Option<string?>("--incentives-address") { Description = "Optional, if participating in the incentives program, payment address" };
        var command = new Command("upgrade", "Try to upgrade the gateway") { id, currentVersion, incentives };
        command.SetAction(result =>
        {
            var path = GatewayConfig.DefaultConfigFilePath(result.GetValue(id)!);
            GatewayConfig config;
            try
            {
                config = ConfigFile.Load(path);
            }
            catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"failed to load existing config file! - {ex.Message}");
                return 1;
            }
            var from = config.Gateway.Version;
            if (from == GatewayConfig.Version)
            {
                Console.WriteLine("You're using the most recent version!");
                return 0;
            }
            if (from is not ("0.9.0" or "0.9.1"))
            {
                Console.Error.WriteLine(string.IsNullOrEmpty(from)
                    ? $"upgrading a gateway from before v0.9.0{(result.GetValue(currentVersion) is { } stated ? $" ({stated})" : "")} is not supported. Please run `init` with the new binary instead"
                    : $"Cannot perform upgrade from {from} to {GatewayConfig.Version}. Please let the developers know about this issue if you expected it to work!");
                return 1;
            }
            Console.WriteLine($"\n==================\nTrying to upgrade gateway from {from} to {GatewayConfig.Version} ...");
            config.Gateway.Version = GatewayConfig.Version;
            if (result.GetValue(incentives) is { } address)
            {
                config.Gateway.IncentivesAddress = address;
                Console.WriteLine($"Setting incentives address to {address}. Old value will be overwritten");
            }
            ConfigFile.Save(config);
            Console.WriteLine($"Upgrade from {from} to {GatewayConfig.Version} was successful!\n==================\n");
            return 0;
        });
        return command;
    }
}
