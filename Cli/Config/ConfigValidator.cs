using System.ComponentModel.DataAnnotations;
using System.Reflection;
using NymGateway.Cli.Config.Sections;
using NymGateway.Nym.Replay;

namespace NymGateway.Cli.Config;

/// <summary>Checks the values of a loaded (and overridden) config; the first bad one throws a <see cref="ConfigException"/> naming its key and line.</summary>
public static class ConfigValidator
{
    public static void Validate(GatewayConfig c)
    {
        var at = c.Source;
        foreach (var section in ConfigSchema.Sections)
        {
            var values = section.Property.GetValue(c)!;
            foreach (var key in section.Keys)
            {
                if (key.Property.GetCustomAttribute<RangeAttribute>() is { } range && !range.IsValid(key.Property.GetValue(values)))
                {
                    throw new ConfigException($"{at.At(section.Name, key.Name)}: {key.Property.GetValue(values)} is not in {range.Minimum}..{range.Maximum}");
                }
                // Every duration is an interval, timeout or age: zero would fail a timer or time out at once.
                if (key.Property.GetValue(values) is TimeSpan duration && duration <= TimeSpan.Zero)
                {
                    throw new ConfigException($"{at.At(section.Name, key.Name)}: must be longer than zero (e.g. \"10s\")");
                }
            }
        }

        var g = c.Gateway;
        Require(g.Id.Length > 0 && g.Id.IndexOfAny(['/', '\\']) < 0, at.At("gateway", "id"), $"'{g.Id}' is not a gateway id");
        Require(ConfigValues.IsValidatorUrl(g.ValidatorRestUrl), at.At("gateway", "validator_rest_url"),
            $"'{g.ValidatorRestUrl}' is not an absolute http or https URL (empty turns presence off)");
        Require(ConfigValues.IsPort(c.MixnetEndpoint.ListeningAddress.Port), at.At("mixnet_endpoint", "listening_address"), "the port must be in 1..65535");
        Require(ConfigValues.IsPort(c.ClientsEndpoint.ListeningAddress.Port), at.At("clients_endpoint", "listening_address"), "the port must be in 1..65535");
        Require(ConfigValues.IsMixAnnounce(c.MixnetEndpoint.AnnounceAddress), at.At("mixnet_endpoint", "announce_address"),
            $"'{c.MixnetEndpoint.AnnounceAddress}' is not host:port with a port in 1..65535");
        Require(ConfigValues.IsClientsAnnounce(c.ClientsEndpoint.AnnounceAddress), at.At("clients_endpoint", "announce_address"),
            $"'{c.ClientsEndpoint.AnnounceAddress}' is not a ws:// or wss:// address");

        // The directory hands the announced addresses to mix nodes and clients; 0.9.2 announced 0.0.0.0 when bound to it.
        bool presence = g.ValidatorRestUrl.Length > 0;
        Require(!presence || !ConfigValues.AnnouncesUnspecifiedHost(c.MixnetEndpoint.AnnounceAddress), at.At("mixnet_endpoint", "announce_address"),
            $"'{c.MixnetEndpoint.AnnounceAddress}' cannot be announced: nobody can connect to it. Pass --mix-announce-host with this host's public address (or --validator \"\" for no presence)");
        Require(!presence || !ConfigValues.AnnouncesUnspecifiedHost(c.ClientsEndpoint.AnnounceAddress), at.At("clients_endpoint", "announce_address"),
            $"'{c.ClientsEndpoint.AnnounceAddress}' cannot be announced: nobody can connect to it. Pass --clients-announce-host with this host's public address (or --validator \"\" for no presence)");

        Require(LogLevels.TryParse(c.Logging.Level, out _), at.At("logging", "level"), $"'{c.Logging.Level}' is not a log level ({LogLevels.Known})");
        foreach (var (category, level) in c.Logging.Categories)
        {
            Require(LogLevels.TryParse(level, out _), at.At("logging", "categories"), $"'{level}' for '{category}' is not a log level ({LogLevels.Known})");
        }

        var s = c.Storage;
        Require(s.Database is StorageSection.Sqlite or StorageSection.Postgres, at.At("storage", "database"), $"'{s.Database}' is neither 'sqlite' nor 'postgres'");
        Require(ConnectionStrings.IsWellFormed(s.PostgresConnectionString), at.At("storage", "postgres_connection_string"), "is not a Key=Value;... connection string");
        Require(c.Cluster.ClusterId.Length > 0, at.At("cluster", "cluster_id"), "must not be empty");
        Require(c.Replay.Window >= TimeSpan.FromSeconds(1), at.At("replay", "window"), "must be at least 1s");
        long filterBytes = 2 * BloomFilter.BitsFor(c.Replay.ExpectedItems(), 1.0 / c.Replay.FalsePositiveOneIn) / 8;
        Require(filterBytes <= MaxReplayFilterBytes, at.At("replay", "expected_packets_per_second"),
            $"an edge's replay filter would take {filterBytes >> 20} MiB (rate x window; at most {MaxReplayFilterBytes >> 30} GiB): lower the rate or the window");
        Require(c.Admin.ListeningAddress.Length == 0 || ConfigValues.TryParseEndPoint(c.Admin.ListeningAddress, out _), at.At("admin", "listening_address"),
            $"'{c.Admin.ListeningAddress}' is not an ip:port socket address (empty turns the endpoint off)");
    }

    /// <summary>Both generations together; each is one array, and .NET caps an array at 2^31 elements (16 GiB of ulong).</summary>
    private const long MaxReplayFilterBytes = 16L << 30;

    private static void Require(bool ok, string where, string problem)
    {
        if (!ok)
        {
            throw new ConfigException($"{where}: {problem}");
        }
    }
}
