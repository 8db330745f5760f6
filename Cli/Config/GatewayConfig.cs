using System.ComponentModel;
using NymGateway.Cli.Config.Sections;
using NymGateway.EdgeHost;
using NymGateway.EdgeHost.Shutdown;
using NymGateway.Grains;
using Tomlyn.Serialization;

namespace NymGateway.Cli.Config;

/// <summary>
/// The gateway's configuration, one property per <c>config.toml</c> section: 0.9.2's sections
/// and keys (so an operator finds what they know), plus ours. Each setting is declared once, in
/// its section class: its TOML name (snake_case of the property), default, bounds and comment.
/// </summary>
public sealed class GatewayConfig
{
    public const string Version = "0.9.2";

    [Description("main base gateway config options")]
    public GatewaySection Gateway { get; set; } = new();

    [Description("Mixnet endpoint config options")]
    public MixnetEndpointSection MixnetEndpoint { get; set; } = new();

    [Description("Clients endpoint config options")]
    public ClientsEndpointSection ClientsEndpoint { get; set; } = new();

    [Description("logging configuration options")]
    public LoggingSection Logging { get; set; } = new();

    [Description("debug configuration options\nThe following options should not be modified unless you know EXACTLY what you are doing\nas if set incorrectly, they may impact your anonymity.")]
    public DebugSection Debug { get; set; } = new();

    [Description("storage (NymGateway.Orleans)")]
    public StorageSection Storage { get; set; } = new();

    [Description("cluster (NymGateway.Orleans)")]
    public ClusterSection Cluster { get; set; } = new();

    [Description("limits (NymGateway.Orleans)")]
    public EdgeLimits Limits { get; set; } = new();

    [Description("replay protection: copies of a packet are dropped within the window (NymGateway.Orleans)")]
    public ReplayProtection Replay { get; set; } = new();

    [Description("admin endpoint: /health and /metrics (NymGateway.Orleans)")]
    public AdminSection Admin { get; set; } = new();

    [Description("shutdown (NymGateway.Orleans)")]
    public DrainOptions Shutdown { get; set; } = new();

    /// <summary>The gateway's own directory (<c>~/.nym/gateways/ID</c>, the one holding config/); relative paths resolve against it.</summary>
    [TomlIgnore]
    public string GatewayDirectory { get; set; } = "";

    /// <summary>Where the values came from, so checks can name the file and line; for a fresh config, its file-to-be.</summary>
    [TomlIgnore]
    public ConfigSource Source
    {
        get => _source ?? new ConfigSource(ConfigFilePath, new Dictionary<string, int>());
        set => _source = value;
    }

    private ConfigSource? _source;

    [TomlIgnore]
    public string ConfigFilePath => Path.Combine(GatewayDirectory, "config", "config.toml");

    [TomlIgnore]
    public bool UsesPostgres => Storage.Database == StorageSection.Postgres;

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

    /// <summary>The gateway directory of a config file: the folder above the one holding it.</summary>
    public static string GatewayDirectoryOf(string configFilePath) =>
        Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(configFilePath)))!;

    /// <summary>A fresh config with the defaults for <paramref name="id"/>.</summary>
    public static GatewayConfig CreateDefault(string id, string? rootDirectory = null)
    {
        var root = rootDirectory ?? DefaultRootDirectory();
        var config = new GatewayConfig { GatewayDirectory = Path.Combine(root, id) };
        config.Gateway.Id = id;
        config.Gateway.NymRootDirectory = root;
        return config;
    }

    /// <summary>
    /// A path from the file as this host finds it: relative ones against the gateway directory; an
    /// absolute one that does not exist (a folder copied from a host with another $HOME) falls
    /// back to the file of that name in data/ when that exists.
    /// </summary>
    public string Resolve(string path)
    {
        if (!Path.IsPathRooted(path))
        {
            return Path.GetFullPath(Path.Combine(GatewayDirectory, path));
        }
        var moved = Path.Combine(GatewayDirectory, "data", Path.GetFileName(path));
        return !Path.Exists(path) && Path.Exists(moved) ? moved : path;
    }

    /// <summary>What init writes for a path: relative when it lies inside the gateway directory, so the folder can move.</summary>
    public string Relative(string path)
    {
        var relative = Path.GetRelativePath(GatewayDirectory, Resolve(path));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
