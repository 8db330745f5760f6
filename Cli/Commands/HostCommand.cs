using System.CommandLine;
using NymGateway.Cli.Config;
using NymGateway.EdgeHost;

namespace NymGateway.Cli.Commands;

/// <summary>
/// What run, silo and edge share: the override flags and --config, loading config and keys
/// (with 0.9.2's "have you run init" error), a storage check, then the host itself.
/// </summary>
public static class HostCommand
{
    /// <returns>The process exit code.</returns>
    public delegate Task<int> HostRunner(ParseResult result, GatewayConfig config, GatewayIdentity identity);

    /// <param name="needsPostgres">Cluster hosts refuse to start without a PostgreSQL connection string; `run` refuses one.</param>
    public static Command Create(string name, string description, string startingLine, bool needsPostgres, HostRunner run, params Option[] extraOptions)
    {
        var options = new GatewayOptions();
        var configPath = new Option<string?>("--config") { Description = "Custom path to the nym gateway configuration file" };
        var command = new Command(name, description);
        options.AddTo(command);
        command.Options.Add(configPath);
        foreach (var option in extraOptions)
        {
            command.Options.Add(option);
        }
        command.SetAction(async result =>
        {
            Console.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, startingLine, result.GetValue(options.Id)));
            if (ConfigLoader.Load(result, options, configPath) is not var (config, identity))
            {
                return 1;
            }
            bool postgres = config.UsesPostgres && config.Storage.PostgresConnectionString.Length > 0;
            if (needsPostgres && !postgres)
            {
                Console.Error.WriteLine($"`{name}` needs PostgreSQL: set NYM_GATEWAY_DATABASE, or pass --database \"Host=...;Database=...\", or set [storage] in the config.");
                return 1;
            }
            if (!needsPostgres && config.UsesPostgres)
            {
                Console.Error.WriteLine("`run` keeps everything in one process on SQLite; for PostgreSQL (selected by [storage] database, --database or NYM_GATEWAY_DATABASE) run `silo` and `edge`.");
                return 1;
            }
            try
            {
                return await run(result, config, identity);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
            catch (IOException ex)
            {
                // e.g. a port already in use
                Console.Error.WriteLine($"Failed to start: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
