using System.CommandLine;
using NymGateway.Cli.Config;
using NymGateway.EdgeHost;
using NymGateway.Nym.Encoding;

namespace NymGateway.Cli.Commands;

/// <summary>What run, silo and edge do before starting: load the config and keys, apply flags, print 0.9.2's lines.</summary>
public static class ConfigLoader
{
    /// <summary>Null (after printing why) when the gateway cannot start.</summary>
    public static (GatewayConfig, GatewayIdentity)? Load(ParseResult result, GatewayOptions options, Option<string?> configPath)
    {
        var id = result.GetValue(options.Id)!;
        var path = result.GetValue(configPath) ?? GatewayConfig.DefaultConfigFilePath(id);
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"Failed to load config for {id}. Are you sure you have run `init` before? (Error was: {path} does not exist)");
            return null;
        }
        try
        {
            var config = ConfigFile.Load(path);
            options.Read(result).ApplyTo(config);
            if (config.ConfigVersion != GatewayConfig.Version)
            {
                Console.Error.WriteLine($"Warning: the config was written by version {config.ConfigVersion}; this gateway is {GatewayConfig.Version}");
            }
            var identity = GatewayKeyFiles.Load(config);
            return (config, identity);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Failed to load config for {id}. Are you sure you have run `init` before? (Error was: {ex.Message})");
            return null;
        }
    }

    /// <summary>The lines 0.9.2's run prints before starting (keys, addresses, storage).</summary>
    public static void PrintStartup(GatewayConfig config, GatewayIdentity identity)
    {
        Console.WriteLine($"Public sphinx key: {Base58Text.Encode(identity.Sphinx.PublicKey)}\n");
        Console.WriteLine($"Public identity key: {identity.Identity.PublicKey.ToBase58()}\n");
        WarnIfSpecial(config.MixListeningAddress.Address.ToString());
        WarnIfSpecial(config.ClientsListeningAddress.Address.ToString());
        Console.WriteLine($"Validator REST endpoint: {config.ValidatorRestUrl}");
        Console.WriteLine($"Listening for incoming sphinx packets on {config.MixListeningAddress}");
        Console.WriteLine($"Announcing the following socket address for sphinx packets: {config.MixAnnounceAddress}");
        Console.WriteLine($"Listening for incoming clients packets on {config.ClientsListeningAddress}");
        Console.WriteLine($"Announcing the following socket address for clients packets: {config.ClientsAnnounceAddress}");
        var storage = config.Database == "sqlite" ? config.SqlitePath : "PostgreSQL";
        Console.WriteLine($"Inboxes directory is: \"{storage}\"");
        Console.WriteLine($"Clients ledger is stored at: \"{storage}\"");
    }

    private static void WarnIfSpecial(string address)
    {
        if (address is "localhost" or "127.0.0.1" or "0.0.0.0" or "::1" or "[::1]" or "::")
        {
            Console.WriteLine("\n##### NOTE #####");
            Console.WriteLine($"\nYou are trying to bind to {address} - you might not be accessible to other nodes\n" +
                              "You can ignore this warning if you're running setup on a local network \n" +
                              "or have set a custom 'announce-host'");
            Console.WriteLine("\n\n");
        }
    }
}
