using System.Globalization;
using System.Net;
using System.Text;
using Tomlyn;
using Tomlyn.Model;

namespace NymGateway.Cli.Config;

/// <summary>Reads and writes <c>config.toml</c>: written from a commented template like 0.9.2's, read leniently with Tomlyn.</summary>
public static class ConfigFile
{
    public static void Save(GatewayConfig c, string? path = null)
    {
        path ??= c.ConfigFilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Render(c));
    }

    /// <summary>Loads a config; the error says what is wrong and where.</summary>
    public static GatewayConfig Load(string path)
    {
        var text = File.ReadAllText(path);
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text)!;
        }
        catch (TomlException ex)
        {
            throw new InvalidDataException($"{path} is not valid TOML: {ex.Message}", ex);
        }

        var reader = new Reader(root, path);
        var id = reader.String("gateway", "id") ?? throw new InvalidDataException($"{path}: [gateway] id is missing");
        var c = GatewayConfig.CreateDefault(id);
        c.ConfigVersion = reader.String("gateway", "version") ?? c.ConfigVersion;
        c.Location = reader.String("gateway", "location") ?? c.Location;
        c.PrivateIdentityKeyFile = reader.String("gateway", "private_identity_key_file") ?? c.PrivateIdentityKeyFile;
        c.PublicIdentityKeyFile = reader.String("gateway", "public_identity_key_file") ?? c.PublicIdentityKeyFile;
        c.PrivateSphinxKeyFile = reader.String("gateway", "private_sphinx_key_file") ?? c.PrivateSphinxKeyFile;
        c.PublicSphinxKeyFile = reader.String("gateway", "public_sphinx_key_file") ?? c.PublicSphinxKeyFile;
        c.IncentivesAddress = reader.String("gateway", "incentives_address") ?? c.IncentivesAddress;
        c.ValidatorRestUrl = reader.String("gateway", "validator_rest_url") ?? c.ValidatorRestUrl;
        c.NymRootDirectory = reader.String("gateway", "nym_root_directory") ?? c.NymRootDirectory;

        c.MixListeningAddress = reader.EndPoint("mixnet_endpoint", "listening_address") ?? c.MixListeningAddress;
        c.MixAnnounceAddress = reader.String("mixnet_endpoint", "announce_address") ?? c.MixAnnounceAddress;
        c.ClientsListeningAddress = reader.EndPoint("clients_endpoint", "listening_address") ?? c.ClientsListeningAddress;
        c.ClientsAnnounceAddress = reader.String("clients_endpoint", "announce_address") ?? c.ClientsAnnounceAddress;
        c.InboxesDirectory = reader.String("clients_endpoint", "inboxes_directory") ?? c.InboxesDirectory;
        c.LedgerPath = reader.String("clients_endpoint", "ledger_path") ?? c.LedgerPath;

        c.PacketForwardingInitialBackoff = reader.Duration("debug", "packet_forwarding_initial_backoff") ?? c.PacketForwardingInitialBackoff;
        c.PacketForwardingMaximumBackoff = reader.Duration("debug", "packet_forwarding_maximum_backoff") ?? c.PacketForwardingMaximumBackoff;
        c.InitialConnectionTimeout = reader.Duration("debug", "initial_connection_timeout") ?? c.InitialConnectionTimeout;
        c.MaximumConnectionBufferSize = reader.Int("debug", "maximum_connection_buffer_size") ?? c.MaximumConnectionBufferSize;
        c.PresenceSendingDelay = reader.Duration("debug", "presence_sending_delay") ?? c.PresenceSendingDelay;

        c.Database = reader.String("storage", "database") ?? c.Database;
        c.SqlitePath = reader.String("storage", "sqlite_path") ?? c.SqlitePath;
        c.PostgresConnectionString = reader.String("storage", "postgres_connection_string") ?? c.PostgresConnectionString;
        c.MaxMessagesPerInbox = reader.Int("storage", "max_messages_per_inbox") ?? c.MaxMessagesPerInbox;
        c.MaxMessageAge = reader.Duration("storage", "max_message_age") ?? c.MaxMessageAge;
        c.SweepInterval = reader.Duration("storage", "sweep_interval") ?? c.SweepInterval;

        c.ClusterId = reader.String("cluster", "cluster_id") ?? c.ClusterId;
        c.SiloPort = reader.Int("cluster", "silo_port") ?? c.SiloPort;
        c.GatewayPort = reader.Int("cluster", "gateway_port") ?? c.GatewayPort;
        c.StreamPollPeriod = reader.Duration("cluster", "stream_poll_period") ?? c.StreamPollPeriod;
        c.StreamQueueCount = reader.Int("cluster", "stream_queue_count") ?? c.StreamQueueCount;
        c.InboxRedrainInterval = reader.Duration("cluster", "inbox_redrain_interval") ?? c.InboxRedrainInterval;

        c.MaxMixConnectionsPerIp = reader.Int("limits", "max_mix_connections_per_ip") ?? c.MaxMixConnectionsPerIp;
        c.MaxClientConnectionsPerIp = reader.Int("limits", "max_client_connections_per_ip") ?? c.MaxClientConnectionsPerIp;
        c.MaxClientMessageBytes = reader.Int("limits", "max_client_message_bytes") ?? c.MaxClientMessageBytes;
        c.AuthenticationTimeout = reader.Duration("limits", "authentication_timeout") ?? c.AuthenticationTimeout;
        c.MaxFramesPerBatch = reader.Int("limits", "max_frames_per_batch") ?? c.MaxFramesPerBatch;

        c.AdminListeningAddress = reader.String("admin", "listening_address") ?? c.AdminListeningAddress;
        return c;
    }

    private static string Render(GatewayConfig c)
    {
        var t = new StringBuilder();
        t.AppendLine("""

            # This is a TOML config file.
            # For more information, see https://github.com/toml-lang/toml

            ##### main base gateway config options #####

            [gateway]
            """);
        Line(t, "Version of the gateway for which this configuration was created.", "version", Q(c.ConfigVersion));
        Line(t, "Human readable ID of this particular gateway.", "id", Q(c.Id));
        Line(t, "Completely optional value specifying geographical location of this particular node.", "location", Q(c.Location));
        Line(t, "Path to file containing private identity key.", "private_identity_key_file", Q(c.PrivateIdentityKeyFile));
        Line(t, "Path to file containing public identity key.", "public_identity_key_file", Q(c.PublicIdentityKeyFile));
        Line(t, "Path to file containing private sphinx key.", "private_sphinx_key_file", Q(c.PrivateSphinxKeyFile));
        Line(t, "Path to file containing public sphinx key.", "public_sphinx_key_file", Q(c.PublicSphinxKeyFile));
        Line(t, "Optional, if participating in the incentives program, payment address.", "incentives_address", Q(c.IncentivesAddress));
        Line(t, "Validator server to which the node will be reporting their presence data.", "validator_rest_url", Q(c.ValidatorRestUrl));
        Line(t, "nym_home_directory specifies absolute path to the home nym gateway directory.", "nym_root_directory", Q(c.NymRootDirectory));

        Section(t, "Mixnet endpoint config options", "mixnet_endpoint");
        Line(t, "Socket address to which this gateway will bind to and will be listening for sphinx packets coming from the mixnet.", "listening_address", Q(c.MixListeningAddress.ToString()));
        Line(t, "Optional address announced to the directory server for mix nodes to connect to.", "announce_address", Q(c.MixAnnounceAddress));

        Section(t, "Clients endpoint config options", "clients_endpoint");
        Line(t, "Socket address to which this gateway will bind to and will be listening for client websockets.", "listening_address", Q(c.ClientsListeningAddress.ToString()));
        Line(t, "Optional address announced to the directory server for the clients to connect to.", "announce_address", Q(c.ClientsAnnounceAddress));
        Line(t, "Kept for 0.9.2 compatibility: inboxes now live in the database (see [storage]).", "inboxes_directory", Q(c.InboxesDirectory));
        Line(t, "Kept for 0.9.2 compatibility: the client ledger now lives in the database (see [storage]).", "ledger_path", Q(c.LedgerPath));

        Section(t, "logging configuration options", "logging");

        Section(t, "debug options (0.9.2's names and defaults)", "debug");
        Line(t, "Initial value of an exponential backoff to reconnect to a dropped TCP connection when forwarding sphinx packets.", "packet_forwarding_initial_backoff", Q(HumanDuration.Format(c.PacketForwardingInitialBackoff)));
        Line(t, "Maximum value of that backoff.", "packet_forwarding_maximum_backoff", Q(HumanDuration.Format(c.PacketForwardingMaximumBackoff)));
        Line(t, "Timeout for establishing initial connection when trying to forward a sphinx packet.", "initial_connection_timeout", Q(HumanDuration.Format(c.InitialConnectionTimeout)));
        Line(t, "Maximum number of packets that can be stored waiting to get sent to a particular connection.", "maximum_connection_buffer_size", I(c.MaximumConnectionBufferSize));
        Line(t, "Delay between each subsequent presence data being sent.", "presence_sending_delay", Q(HumanDuration.Format(c.PresenceSendingDelay)));

        Section(t, "storage (NymGateway.Orleans)", "storage");
        Line(t, "'sqlite' (embedded, one machine) or 'postgres' (cluster mode).", "database", Q(c.Database));
        Line(t, "The embedded database file: client ledger and inboxes.", "sqlite_path", Q(c.SqlitePath));
        Line(t, "PostgreSQL connection string; the NYM_GATEWAY_DATABASE environment variable overrides it.", "postgres_connection_string", Q(c.PostgresConnectionString));
        Line(t, "Most messages kept for one client; further ones are dropped until it drains.", "max_messages_per_inbox", I(c.MaxMessagesPerInbox));
        Line(t, "Messages older than this are deleted.", "max_message_age", Q(HumanDuration.Format(c.MaxMessageAge)));
        Line(t, "How often old messages are swept.", "sweep_interval", Q(HumanDuration.Format(c.SweepInterval)));

        Section(t, "cluster (NymGateway.Orleans)", "cluster");
        Line(t, "Orleans cluster id shared by every silo and edge of this gateway.", "cluster_id", Q(c.ClusterId));
        Line(t, "Orleans silo-to-silo port.", "silo_port", I(c.SiloPort));
        Line(t, "Orleans gateway port (edges connect to silos on it).", "gateway_port", I(c.GatewayPort));
        Line(t, "Timer of the inbox stream's queue readers. Arrivals wake them at once; this only sets how soon a reader resumes after an idle second.", "stream_poll_period", Q(HumanDuration.Format(c.StreamPollPeriod)));
        Line(t, "Queues of the inbox stream.", "stream_queue_count", I(c.StreamQueueCount));
        Line(t, "A connected client's inbox is re-read from the database at least this often, so a lost notification only delays.", "inbox_redrain_interval", Q(HumanDuration.Format(c.InboxRedrainInterval)));

        Section(t, "limits (NymGateway.Orleans)", "limits");
        Line(t, "Open mix connections allowed from one IP address.", "max_mix_connections_per_ip", I(c.MaxMixConnectionsPerIp));
        Line(t, "Open client websockets allowed from one IP address.", "max_client_connections_per_ip", I(c.MaxClientConnectionsPerIp));
        Line(t, "Largest websocket message accepted from a client, in bytes.", "max_client_message_bytes", I(c.MaxClientMessageBytes));
        Line(t, "Time a client has to authenticate or register.", "authentication_timeout", Q(HumanDuration.Format(c.AuthenticationTimeout)));
        Line(t, "Frames of one mix connection unwrapped and committed together.", "max_frames_per_batch", I(c.MaxFramesPerBatch));

        Section(t, "admin endpoint: /health and /metrics (NymGateway.Orleans)", "admin");
        Line(t, "Address for the admin endpoint, e.g. '127.0.0.1:9100'; empty turns it off.", "listening_address", Q(c.AdminListeningAddress));
        return t.ToString();
    }

    private static void Section(StringBuilder t, string title, string name) =>
        t.Append('\n').Append("##### ").Append(title).Append(" #####\n\n[").Append(name).Append("]\n");

    private static void Line(StringBuilder t, string comment, string key, string value) =>
        t.Append("# ").Append(comment).Append('\n').Append(key).Append(" = ").Append(value).Append("\n\n");

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A TOML basic string.</summary>
    private static string Q(string value)
    {
        var escaped = new StringBuilder("\"");
        foreach (var ch in value)
        {
            escaped.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(ch) => $"\\u{(int)ch:X4}",
                _ => ch.ToString(),
            });
        }
        return escaped.Append('"').ToString();
    }

    private sealed class Reader(TomlTable root, string path)
    {
        public string? String(string section, string key) => Value(section, key) switch
        {
            null => null,
            string s => s,
            var other => throw Bad(section, key, $"expected a string, found {other}"),
        };

        public int? Int(string section, string key) => Value(section, key) switch
        {
            null => null,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            var other => throw Bad(section, key, $"expected a whole number, found {other}"),
        };

        public TimeSpan? Duration(string section, string key) => Value(section, key) switch
        {
            null => null,
            long ms => TimeSpan.FromMilliseconds(ms),
            string s when HumanDuration.TryParse(s, out var d) => d,
            var other => throw Bad(section, key, $"expected a duration such as \"10s\", found {other}"),
        };

        public IPEndPoint? EndPoint(string section, string key) => String(section, key) switch
        {
            null => null,
            var s when IPEndPoint.TryParse(s, out var endPoint) => endPoint,
            var s => throw Bad(section, key, $"expected an ip:port socket address, found '{s}'"),
        };

        private object? Value(string section, string key) =>
            root.TryGetValue(section, out var table) && table is TomlTable t && t.TryGetValue(key, out var value) ? value : null;

        private InvalidDataException Bad(string section, string key, string problem) => new($"{path}: [{section}] {key}: {problem}");
    }
}
