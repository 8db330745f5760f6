using System.Runtime.Versioning;
using NymGateway.Fleet;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>The configuration as an operator meets it through nym-gateway: init on an existing id, check, bad flags and keys, the environment.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ConfigCliTests : IDisposable
{
    private const string Secret = "Host=10.0.0.5;Database=nymgateway;Username=nymgateway;Password=hunter2";
    private static readonly Dictionary<string, string?> NoDatabaseVariable = new() { ["NYM_GATEWAY_DATABASE"] = null };
    private readonly TemporaryHome _home = new("nym-gateway-config-cli");

    public void Dispose() => _home.Dispose();

    private string ConfigPath(string id) => Path.Combine(_home.Path, ".nym", "gateways", id, "config", "config.toml");

    [Fact]
    public async Task Init_on_an_existing_id_changes_only_what_its_flags_say()
    {
        var ports = FreePorts.Take(2);
        Assert.Equal(0, (await RunAsync("init", "--id", "gw", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1",
            "--database", Secret, "--cluster-id", "gw-cluster")).ExitCode);
        var path = ConfigPath("gw");
        var privateKey = File.ReadAllText(Path.Combine(_home.Path, ".nym", "gateways", "gw", "data", "private_identity.pem"));
        File.WriteAllText(path, File.ReadAllText(path)
            .Replace("max_frames_per_batch = 256", "max_frames_per_batch = 7", StringComparison.Ordinal)
            .Replace("listening_address = \"\"", "listening_address = \"127.0.0.1:9100\"", StringComparison.Ordinal)
            .Replace("announce_address = \"127.0.0.1:1789\"", "announce_address = \"10.0.0.20:1789\"", StringComparison.Ordinal));

        var again = await RunAsync("init", "--id", "gw", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1", "--mix-port", $"{ports[0]}");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("was already initialised before", again.Output, StringComparison.Ordinal);

        var text = File.ReadAllText(path);
        foreach (var kept in new[]
                 {
                     "database = \"postgres\"", $"postgres_connection_string = \"{Secret}\"", "cluster_id = \"gw-cluster\"",
                     "max_frames_per_batch = 7", "listening_address = \"127.0.0.1:9100\"", "announce_address = \"10.0.0.20:1789\"",
                     $"listening_address = \"127.0.0.1:{ports[0]}\"",
                 })
        {
            Assert.Contains(kept, text, StringComparison.Ordinal);
        }
        Assert.Equal(privateKey, File.ReadAllText(Path.Combine(_home.Path, ".nym", "gateways", "gw", "data", "private_identity.pem")));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // file modes
    public async Task Check_prints_the_effective_configuration_with_the_password_masked_and_files_are_0600()
    {
        Assert.Equal(0, (await RunAsync("init", "--id", "gw", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1", "--database", Secret)).ExitCode);

        var check = await RunAsync("check", "--id", "gw");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("postgres_connection_string = \"Host=10.0.0.5;Database=nymgateway;Username=nymgateway;Password=***\"", check.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", check.Output, StringComparison.Ordinal);
        Assert.Contains("and its key files are valid", check.Output, StringComparison.Ordinal);

        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(ConfigPath("gw")));
        var data = Path.Combine(_home.Path, ".nym", "gateways", "gw", "data");
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(data, "private_identity.pem")));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(data, "private_sphinx.pem")));
    }

    [Fact]
    public async Task NYM_GATEWAY_DATABASE_means_postgres_without_init_having_been_told()
    {
        Assert.Equal(0, (await RunAsync("init", "--id", "gw", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1")).ExitCode);
        Assert.Contains("database = \"sqlite\"", File.ReadAllText(ConfigPath("gw")), StringComparison.Ordinal);

        var check = await GatewayProcess.RunToEndAsync(_home.Path, new Dictionary<string, string?> { ["NYM_GATEWAY_DATABASE"] = Secret }, "check", "--id", "gw");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("database = \"postgres\"", check.Output, StringComparison.Ordinal);
        Assert.Contains("Password=***", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_started_with_only_NYM_GATEWAY_DATABASE_goes_for_postgres()
    {
        var ports = FreePorts.Take(3);
        Assert.Equal(0, (await RunAsync("init", "--id", "gw", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1")).ExitCode);
        var nowhere = $"Host=127.0.0.1;Port={ports[2]};Database=none;Username=none;Password=none;Timeout=2";

        using var silo = GatewayProcess.Start(_home.Path, new Dictionary<string, string?> { ["NYM_GATEWAY_DATABASE"] = nowhere },
            "silo", "--id", "gw", "--silo-port", $"{ports[0]}", "--gateway-port", $"{ports[1]}");
        await silo.WaitForAsync("Cannot reach the database", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("needs PostgreSQL", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_folder_copied_to_another_home_finds_its_keys()
    {
        Assert.Equal(0, (await RunAsync("init", "--id", "gw", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1")).ExitCode);
        using var other = new TemporaryHome("nym-gateway-config-cli");
        var target = Path.Combine(other.Path, ".nym", "gateways", "gw");
        foreach (var file in Directory.GetFiles(Path.Combine(_home.Path, ".nym", "gateways", "gw"), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Path.Combine(_home.Path, ".nym", "gateways", "gw"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        Directory.Delete(Path.Combine(_home.Path, ".nym"), recursive: true);

        var check = await GatewayProcess.RunToEndAsync(other.Path, NoDatabaseVariable, "check", "--id", "gw");
        Assert.Equal(0, check.ExitCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("70000")]
    [InlineData("0")]
    public async Task A_bad_port_flag_is_named_in_one_line(string port)
    {
        var result = await RunAsync("run", "--id", "nobody", "--mix-port", port);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"--mix-port: '{port}' is not a port number (1..65535)", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Nullable", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("have run `init`", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_takes_a_0_9_1_config_to_0_9_2_and_refuses_older_ones()
    {
        Assert.Equal(0, (await RunAsync("init", "--id", "old", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1")).ExitCode);
        var path = ConfigPath("old");
        File.WriteAllText(path, File.ReadAllText(path).Replace("version = \"0.9.2\"", "version = \"0.9.1\"", StringComparison.Ordinal));
        var upgraded = await RunAsync("upgrade", "--id", "old", "--incentives-address", "payme");
        Assert.Equal(0, upgraded.ExitCode);
        Assert.Contains("Upgrade from 0.9.1 to 0.9.2 was successful!", upgraded.Output, StringComparison.Ordinal);
        Assert.Contains("version = \"0.9.2\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Contains("incentives_address = \"payme\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Contains("You're using the most recent version!", (await RunAsync("upgrade", "--id", "old")).Output, StringComparison.Ordinal);

        File.WriteAllText(path, File.ReadAllText(path).Replace("version = \"0.9.2\"", "version = \"0.8.1\"", StringComparison.Ordinal));
        var refused = await RunAsync("upgrade", "--id", "old");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Cannot perform upgrade from 0.8.1 to 0.9.2", refused.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Announcing_the_unspecified_address_is_refused_while_presence_is_on()
    {
        var refused = await RunAsync("init", "--id", "gw", "--mix-host", "0.0.0.0", "--clients-host", "0.0.0.0");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("'0.0.0.0:1789' cannot be announced: nobody can connect to it. Pass --mix-announce-host", refused.Output, StringComparison.Ordinal);

        var announced = await RunAsync("init", "--id", "gw", "--mix-host", "0.0.0.0", "--clients-host", "0.0.0.0", "--mix-announce-host", "10.0.0.20", "--clients-announce-host", "10.0.0.20");
        Assert.Equal(0, announced.ExitCode);
        var local = await RunAsync("init", "--id", "local", "--mix-host", "0.0.0.0", "--clients-host", "0.0.0.0", "--validator", "");
        Assert.Equal(0, local.ExitCode);
    }

    [Fact]
    public async Task A_typo_in_the_config_stops_run_with_the_file_line_and_key_before_anything_starts()
    {
        Assert.Equal(0, (await RunAsync("init", "--id", "gw", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1")).ExitCode);
        var path = ConfigPath("gw");
        var lines = File.ReadAllLines(path);
        int admin = Array.IndexOf(lines, "listening_address = \"\"");
        lines[admin] = "listen_address = \"127.0.0.1:9100\"";
        File.WriteAllLines(path, lines);

        var run = await RunAsync("run", "--id", "gw");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{path}:{admin + 1}: unknown key 'listen_address' in [admin] (known: listening_address)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("have run `init`", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Starting nym gateway!", run.Output, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => GatewayProcess.RunToEndAsync(_home.Path, NoDatabaseVariable, args);
}
