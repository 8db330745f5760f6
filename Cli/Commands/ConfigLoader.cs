using System.CommandLine;
using NymGateway.Cli.Config;
using NymGateway.EdgeHost;
using NymGateway.Nym.Encoding;

namespace NymGateway.Cli.Commands;

/// <summary>What run, silo and edge do before starting: load the config and keys, apply flags, print 0.9.2's lines.</summary>
public static class ConfigLoader
{
    /// <summary>
    /// The effective config: the file, then the environment, then the flags, validated; and the keys.
    /// Null (after printing one line saying why) when the gateway cannot start.
    /// </summary>
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
            EnvironmentOverrides.ApplyTo(config);
            options.Read(result).ApplyTo(config);
            ConfigValidator.Validate(config);
            if (config.Gateway.Version != GatewayConfig.Version)
            {
                Console.Error.WriteLine($"Warning: the config was written by version {config.Gateway.Version}; this gateway is {GatewayConfig.Version}");
            }
            return (config, GatewayKeyFiles.Load(config));
        }
        catch (Exception ex) when (ex is ConfigException or InvalidDataException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(ex.Message);
            return null;
        }
    }

    /// <summary>The lines 0.9.2's run prints before starting (keys, addresses, storage).</summary>
    public static void PrintStartup(GatewayConfig config, GatewayIdentity identity)
    {
        Console.WriteLine($"Public sphinx key: {Base58Text.Encode(identity.Sphinx.PublicKey)}\n");
        Console.WriteLine($"Public identity key: {identity.Identity.PublicKey.ToBase58()}\n");
        WarnIfSpecial(config.MixnetEndpoint.ListeningAddress.Address.ToString());
        WarnIfSpecial(config.ClientsEndpoint.ListeningAddress.Address.ToString());
        Console.WriteLine($"Validator REST endpoint: {config.Gateway.ValidatorRestUrl}");
        Console.WriteLine($"Listening for incoming sphinx packets on {config.MixnetEndpoint.ListeningAddress}");
        Console.WriteLine($"Announcing the following socket address for sphinx packets: {config.MixnetEndpoint.AnnounceAddress}");
        Console.WriteLine($"Listening for incoming clients packets on {config.ClientsEndpoint.ListeningAddress}");
        Console.WriteLine($"Announcing the following socket address for clients packets: {config.ClientsEndpoint.AnnounceAddress}");
        var storage = config.UsesPostgres ? "PostgreSQL" : config.Resolve(config.Storage.SqlitePath);
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
