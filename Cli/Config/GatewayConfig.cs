using System.Globalization;
using System.Net;

namespace NymGateway.Cli.Config;

/// <summary>
/// The gateway's configuration: 0.9.2's sections and keys (so an operator finds what they
/// know), plus our own for storage, the cluster and limits. Every host of one gateway reads it.
/// </summary>
public sealed class GatewayConfig
{
    public const string Version = "0.9.2";
    public const string DefaultValidator = "http://testnet-validator1.nymtech.net:8081";
    public const int DefaultMixPort = 1789;
    public const int DefaultClientsPort = 9000;

    // [gateway]
    public string Id { get; set; } = "";
    public string ConfigVersion { get; set; } = Version;
    public string Location { get; set; } = "unknown";
    public string PrivateIdentityKeyFile { get; set; } = "";
    public string PublicIdentityKeyFile { get; set; } = "";
    public string PrivateSphinxKeyFile { get; set; } = "";
    public string PublicSphinxKeyFile { get; set; } = "";
    public string IncentivesAddress { get; set; } = "";
    public string ValidatorRestUrl { get; set; } = DefaultValidator;
    public string NymRootDirectory { get; set; } = "";

    // [mixnet_endpoint]
    public IPEndPoint MixListeningAddress { get; set; } = new(IPAddress.Any, DefaultMixPort);
    public string MixAnnounceAddress { get; set; } = $"127.0.0.1:{DefaultMixPort}";

    // [clients_endpoint]
    public IPEndPoint ClientsListeningAddress { get; set; } = new(IPAddress.Any, DefaultClientsPort);
    public string ClientsAnnounceAddress { get; set; } = $"ws://127.0.0.1:{DefaultClientsPort}";
    public string InboxesDirectory { get; set; } = "";
    public string LedgerPath { get; set; } = "";

    // [debug] (0.9.2's names and defaults)
    public TimeSpan PacketForwardingInitialBackoff { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan PacketForwardingMaximumBackoff { get; set; } = TimeSpan.FromSeconds(300);
    public TimeSpan InitialConnectionTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);
    public int MaximumConnectionBufferSize { get; set; } = 32;
    public TimeSpan PresenceSendingDelay { get; set; } = TimeSpan.FromSeconds(10);

    // [storage]
    public string Database { get; set; } = "sqlite";
    public string SqlitePath { get; set; } = "";
    public string PostgresConnectionString { get; set; } = "";
    public int MaxMessagesPerInbox { get; set; } = 10_000;
    public TimeSpan MaxMessageAge { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    // [cluster]
    public string ClusterId { get; set; } = "nym-gateway";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    public TimeSpan StreamPollPeriod { get; set; } = TimeSpan.FromMilliseconds(10);
    public int StreamQueueCount { get; set; } = 4;
    public TimeSpan InboxRedrainInterval { get; set; } = TimeSpan.FromSeconds(10);

    // [limits]
    public int MaxMixConnectionsPerIp { get; set; } = 64;
    public int MaxClientConnectionsPerIp { get; set; } = 256;
    public int MaxClientMessageBytes { get; set; } = 64 * 1024;
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(60);
    public int MaxFramesPerBatch { get; set; } = 256;

    // [admin]
    public string AdminListeningAddress { get; set; } = "";

    public string RootDirectory => Path.Combine(NymRootDirectory, Id);
    public string ConfigDirectory => Path.Combine(RootDirectory, "config");
    public string DataDirectory => Path.Combine(RootDirectory, "data");
    public string ConfigFilePath => Path.Combine(ConfigDirectory, "config.toml");

    public static string DefaultRootDirectory()
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }
        return Path.Combine(home, ".nym", "gateways");
    }

    public static string DefaultConfigFilePath(string id) => Path.Combine(DefaultRootDirectory(), id, "config", "config.toml");

    /// <summary>A fresh config with 0.9.2's defaults for <paramref name="id"/>.</summary>
    public static GatewayConfig CreateDefault(string id, string? rootDirectory = null)
    {
        var config = new GatewayConfig { Id = id, NymRootDirectory = rootDirectory ?? DefaultRootDirectory() };
        var data = config.DataDirectory;
        config.PrivateIdentityKeyFile = Path.Combine(data, "private_identity.pem");
        config.PublicIdentityKeyFile = Path.Combine(data, "public_identity.pem");
        config.PrivateSphinxKeyFile = Path.Combine(data, "private_sphinx.pem");
        config.PublicSphinxKeyFile = Path.Combine(data, "public_sphinx.pem");
        config.InboxesDirectory = Path.Combine(data, "inboxes");
        config.LedgerPath = Path.Combine(data, "client_ledger.sled");
        config.SqlitePath = Path.Combine(data, "gateway.sqlite");
        return config;
    }

    /// <summary>The PostgreSQL connection string: NYM_GATEWAY_DATABASE overrides the file, so secrets need not sit in it.</summary>
    public string ResolvedPostgresConnectionString =>
        Environment.GetEnvironmentVariable("NYM_GATEWAY_DATABASE") is { Length: > 0 } fromEnvironment ? fromEnvironment : PostgresConnectionString;

    public static string FormatPort(int port) => port.ToString(CultureInfo.InvariantCulture);
}
