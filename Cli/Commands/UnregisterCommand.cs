using System.CommandLine;
using NymGateway.EdgeHost.Presence;

namespace NymGateway.Cli.Commands;

/// <summary>`unregister`: removes the gateway from the validator's directory (0.9.2's unregister).</summary>
public static class UnregisterCommand
{
    public static Command Create()
    {
        var options = new GatewayOptions();
        var configPath = new Option<string?>("--config") { Description = "Custom path to the nym gateway configuration file" };
        var command = new Command("unregister", "Unregister the gateway");
        options.Id.Description = "Id of the nym-gateway we want to explicitly unregister";
        command.Options.Add(options.Id);
        command.Options.Add(configPath);
        command.SetAction(async (result, cancellationToken) =>
        {
            Console.WriteLine($"Attempting to unregister gateway {result.GetValue(options.Id)}...");
            if (ConfigLoader.Load(result, options, configPath) is not var (config, identity))
            {
                return 1;
            }
            // The loader refused anything but an http(s) URL or nothing.
            if (config.Gateway.ValidatorRestUrl.Length == 0)
            {
                Console.Error.WriteLine($"failed to unregister node '{config.Gateway.Id}': no validator is configured (`init --validator URL`, or [gateway] validator_rest_url).");
                return 1;
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var key = identity.Identity.PublicKey.ToBase58();
            try
            {
                await new ValidatorClient(http).UnregisterAsync(config.Gateway.ValidatorRestUrl, key, cancellationToken);
                Console.WriteLine($"managed to successfully unregister node '{config.Gateway.Id}'!");
                return 0;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Console.Error.WriteLine($"failed to unregister node '{config.Gateway.Id}'. Error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
