using System.Net;
using System.Runtime.Versioning;
using NymGateway.Cli.Config;
using NymGateway.Cli.Config.Sections;
using NymGateway.Fleet;
using Xunit;

namespace NymGateway.Tests.Config;

/// <summary>config.toml as the model reads and writes it: strict keys with their line, a rendered file that loads back equal, modes and paths.</summary>
[Trait("Category", "Config")]
public sealed class ConfigFileTests : IDisposable
{
    private readonly TemporaryHome _root = new("nym-gateway-config");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_typo_of_a_key_is_refused_naming_file_line_and_the_known_keys()
    {
        var path = WriteDefaultWith("listening_address = \"\"", "listen_address = \"127.0.0.1:9100\"");
        int line = LineOf(path, "listen_address");

        var error = Assert.Throws<ConfigException>(() => ConfigFile.Load(path));
        Assert.Equal($"{path}:{line}: unknown key 'listen_address' in [admin] (known: listening_address)", error.Message);
    }

    [Fact]
    public void A_misspelt_storage_key_is_refused_instead_of_falling_back_to_the_default()
    {
        var path = WriteDefaultWith("max_messages_per_inbox = 10000", "max_mesages_per_inbox = 5");

        var error = Assert.Throws<ConfigException>(() => ConfigFile.Load(path));
        Assert.StartsWith($"{path}:{LineOf(path, "max_mesages_per_inbox")}: unknown key 'max_mesages_per_inbox' in [storage] (known: max_messages_per_inbox, ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_section_is_refused_with_its_line()
    {
        var path = WriteDefaultWith("[admin]", "[admn]");

        var error = Assert.Throws<ConfigException>(() => ConfigFile.Load(path));
        Assert.StartsWith($"{path}:{LineOf(path, "[admn]")}: unknown section [admn] (known: gateway, mixnet_endpoint, ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max_frames_per_batch = 256", "max_frames_per_batch = \"many\"", "[limits] max_frames_per_batch: expected a whole number, found \"many\"")]
    [InlineData("sweep_interval = \"1h\"", "sweep_interval = \"soon\"", "[storage] sweep_interval: expected a duration such as \"10s\" or \"1500ms\", found \"soon\"")]
    [InlineData("silo_port = 11111", "silo_port = 70000", "[cluster] silo_port: 70000 is not in 1..65535")]
    [InlineData("sweep_interval = \"1h\"", "sweep_interval = \"0s\"", "[storage] sweep_interval: must be longer than zero (e.g. \"10s\")")]
    [InlineData("validator_rest_url = \"http://testnet-validator1.nymtech.net:8081\"", "validator_rest_url = \"validator:8081\"",
        "[gateway] validator_rest_url: 'validator:8081' is not an absolute http or https URL (empty turns presence off)")]
    [InlineData("announce_address = \"127.0.0.1:1789\"", "announce_address = \"127.0.0.1\"", "[mixnet_endpoint] announce_address: '127.0.0.1' is not host:port with a port in 1..65535")]
    [InlineData("expected_packets_per_second = 100", "expected_packets_per_second = 200000",
        "[replay] expected_packets_per_second: an edge's replay filter would take 98723 MiB (rate x window; at most 16 GiB): lower the rate or the window")]
    public void A_value_of_the_wrong_kind_or_range_names_its_key_and_line(string key, string replacement, string problem)
    {
        var path = WriteDefaultWith(key, replacement);

        var error = Assert.Throws<ConfigException>(() => ConfigValidator.Validate(ConfigFile.Load(path)));
        Assert.Equal($"{path}:{LineOf(path, replacement)}: {problem}", error.Message);
    }

    [Fact]
    public void The_rendered_file_loads_back_equal()
    {
        var config = GatewayConfig.CreateDefault("round", _root.Path);
        config.MixnetEndpoint.ListeningAddress = new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1790);
        config.ClientsEndpoint.AnnounceAddress = "wss://gateway.example:443";
        config.Storage.Database = StorageSection.Postgres;
        config.Storage.PostgresConnectionString = "Host=db;Username=u;Password=\"p;w\"";
        config.Debug.InitialConnectionTimeout = TimeSpan.FromMilliseconds(2500);
        config.Logging.Categories["NymGateway.EdgeHost"] = "debug";
        config.Admin.ListeningAddress = "127.0.0.1:9100";
        ConfigFile.Save(config);

        var loaded = ConfigFile.Load(config.ConfigFilePath);
        Assert.Equal(ConfigRenderer.Render(config), ConfigRenderer.Render(loaded));
        Assert.Equal(config.MixnetEndpoint.ListeningAddress, loaded.MixnetEndpoint.ListeningAddress);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), loaded.Debug.InitialConnectionTimeout);
        Assert.Equal("debug", loaded.Logging.Categories["NymGateway.EdgeHost"]);
        Assert.Equal(config.GatewayDirectory, loaded.GatewayDirectory);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // file modes
    public void A_file_with_a_password_is_written_0600_one_without_is_not()
    {
        var config = GatewayConfig.CreateDefault("modes", _root.Path);
        ConfigFile.Save(config);
        Assert.NotEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config.ConfigFilePath));

        config.Storage.PostgresConnectionString = "Host=db;Username=u;Password=secret";
        ConfigFile.Save(config);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config.ConfigFilePath));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // file modes
    public void Private_keys_are_written_0600()
    {
        var config = GatewayConfig.CreateDefault("keys", _root.Path);
        GatewayKeyFiles.Create(config);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config.Resolve(config.Gateway.PrivateIdentityKeyFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config.Resolve(config.Gateway.PrivateSphinxKeyFile)));
        GatewayKeyFiles.Load(config);
    }

    [Fact]
    public void A_0_9_2_config_with_absolute_paths_of_another_home_loads_its_keys_from_its_own_folder()
    {
        var config = GatewayConfig.CreateDefault("old", _root.Path);
        GatewayKeyFiles.Create(config);
        var elsewhere = "/home/somebody-else/.nym/gateways/old/data";
        var path = config.ConfigFilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"""
            [gateway]
            version = "0.9.2"
            id = "old"
            location = "unknown"
            private_identity_key_file = "{elsewhere}/private_identity.pem"
            public_identity_key_file = "{elsewhere}/public_identity.pem"
            private_sphinx_key_file = "{elsewhere}/private_sphinx.pem"
            public_sphinx_key_file = "{elsewhere}/public_sphinx.pem"
            incentives_address = ""
            validator_rest_url = "http://testnet-validator1.nymtech.net:8081"
            nym_root_directory = "/home/somebody-else/.nym/gateways"

            [mixnet_endpoint]
            listening_address = "0.0.0.0:1789"
            announce_address = "10.0.0.20:1789"

            [clients_endpoint]
            listening_address = "0.0.0.0:9000"
            announce_address = "ws://10.0.0.20:9000"
            inboxes_directory = "{elsewhere}/inboxes"
            ledger_path = "{elsewhere}/client_ledger.sled"

            [logging]

            [debug]
            packet_forwarding_initial_backoff = "10s"
            packet_forwarding_maximum_backoff = "5m"
            initial_connection_timeout = "1500ms"
            maximum_connection_buffer_size = 32
            presence_sending_delay = 10000
            stored_messages_filename_length = 16
            message_retrieval_limit = 5
            cache_entry_ttl = "30s"
            """);

        var loaded = ConfigFile.Load(path);
        ConfigValidator.Validate(loaded);
        Assert.Equal("10.0.0.20:1789", loaded.MixnetEndpoint.AnnounceAddress);
        Assert.Equal(TimeSpan.FromSeconds(10), loaded.Debug.PresenceSendingDelay);
        Assert.Equal(new LoggingSection().Level, loaded.Logging.Level);
        Assert.Equal(GatewayKeyFiles.Load(config).Identity.PublicKey.ToBase58(), GatewayKeyFiles.Load(loaded).Identity.PublicKey.ToBase58());
    }

    [Theory]
    [InlineData("Host=db;Username=u;Password=secret", "Host=db;Username=u;Password=***")]
    [InlineData("Host=db; pwd = \"a;b\"; Database=x", "Host=db; pwd = ***; Database=x")]
    [InlineData("Host=db;Database=x", "Host=db;Database=x")]
    public void Passwords_in_connection_strings_are_masked(string connectionString, string masked) =>
        Assert.Equal(masked, ConnectionStrings.Mask(connectionString));

    /// <summary>A freshly rendered default config with one line replaced (the replacement must be found exactly once).</summary>
    private string WriteDefaultWith(string line, string replacement)
    {
        var config = GatewayConfig.CreateDefault(Guid.NewGuid().ToString("N"), _root.Path);
        var text = ConfigRenderer.Render(config);
        Assert.Single(text.Split('\n'), l => l == line);
        Directory.CreateDirectory(Path.GetDirectoryName(config.ConfigFilePath)!);
        File.WriteAllText(config.ConfigFilePath, text.Replace("\n" + line + "\n", "\n" + replacement + "\n", StringComparison.Ordinal));
        return config.ConfigFilePath;
    }

    private static int LineOf(string path, string text) => Array.FindIndex(File.ReadAllLines(path), l => l.StartsWith(text, StringComparison.Ordinal)) + 1;
}
