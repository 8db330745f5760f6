using NymGateway.Cli.Config.Sections;

namespace NymGateway.Cli.Config;

/// <summary>Environment variables that override the file (flags override both); kept out of the file, so secrets need not be written.</summary>
public static class EnvironmentOverrides
{
    public const string Database = "NYM_GATEWAY_DATABASE";

    /// <summary>A non-empty NYM_GATEWAY_DATABASE is a PostgreSQL connection string: it selects PostgreSQL.</summary>
    public static void ApplyTo(GatewayConfig config)
    {
        if (Environment.GetEnvironmentVariable(Database) is { Length: > 0 } connectionString)
        {
            config.Storage.Database = StorageSection.Postgres;
            config.Storage.PostgresConnectionString = connectionString;
        }
    }
}
