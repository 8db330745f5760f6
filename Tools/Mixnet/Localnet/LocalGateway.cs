using System.Net;
using NymGateway.Nym.Keys;

namespace NymGateway.Mixnet.Localnet;

/// <summary>
/// The localnet's gateway: `nym-gateway init` on loopback with presence off, then `run`, or with
/// <see cref="LocalnetOptions.ClusterDatabase"/> a silo and two edges on that database.
/// </summary>
public sealed class LocalGateway : IAsyncDisposable
{
    public const string Id = "localnet";
    private const string Ready = "Finished nym gateway startup procedure";
    private readonly List<HostProcess> _hosts = [];

    private LocalGateway(IdentityPublicKey identity, byte[] sphinxKey, IPEndPoint mix, IReadOnlyList<Uri> clients)
    {
        Identity = identity;
        SphinxKey = sphinxKey;
        Mix = mix;
        ClientsAddresses = clients;
    }

    public IdentityPublicKey Identity { get; }
    public byte[] SphinxKey { get; }
    public IPEndPoint Mix { get; }

    /// <summary>Where clients connect: one address per edge (one for `run`).</summary>
    public IReadOnlyList<Uri> ClientsAddresses { get; }

    public static async Task<LocalGateway> StartAsync(LocalnetOptions options)
    {
        var ports = options.Ports;
        var init = new List<string> { "init", "--id", Id, "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1",
            "--mix-port", $"{ports[0]}", "--clients-port", $"{ports[1]}", "--validator", "" };
        if (options.ClusterDatabase is not null)
        {
            init.AddRange(["--database", options.ClusterDatabase, "--cluster-id", $"{Id}-{Guid.NewGuid():N}"]);
        }
        if (await HostProcess.RunAsync(options.GatewayCommand, init, options.Directory, Log(options, "init"), options.StartupTimeout) != 0)
        {
            throw new InvalidOperationException($"nym-gateway init failed; see {Log(options, "init")}");
        }

        var data = Path.Combine(options.Directory, ".nym", "gateways", Id, "data");
        if (!IdentityPublicKey.TryFromBytes(PemFiles.Read(data, "public_identity.pem", PemKey.IdentityPublicTag, 32), out var identity, out var error))
        {
            throw new InvalidDataException($"the gateway's identity key: {error}");
        }
        var clients = new List<Uri> { new($"ws://127.0.0.1:{ports[1]}") };
        if (options.ClusterDatabase is not null)
        {
            clients.Add(new Uri($"ws://127.0.0.1:{ports[5]}"));
        }
        var gateway = new LocalGateway(identity, PemFiles.Read(data, "public_sphinx.pem", PemKey.EncryptionPublicTag, 32),
            new IPEndPoint(IPAddress.Loopback, ports[0]), clients);
        try
        {
            await gateway.StartHostsAsync(options);
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
        return gateway;
    }

    private async Task StartHostsAsync(LocalnetOptions options)
    {
        var ports = options.Ports;
        string[] orleans = ["--silo-port", $"{ports[2]}", "--gateway-port", $"{ports[3]}"];
        if (options.ClusterDatabase is null)
        {
            await StartAsync(options, "run", ["run", "--id", Id, .. orleans], Ready);
            return;
        }
        await StartAsync(options, "silo", ["silo", "--id", Id, .. orleans], "Silo ready");
        await Task.WhenAll(
            StartAsync(options, "edge-1", ["edge", "--id", Id, "--mix-port", $"{ports[0]}", "--clients-port", $"{ports[1]}"], Ready),
            StartAsync(options, "edge-2", ["edge", "--id", Id, "--mix-port", $"{ports[4]}", "--clients-port", $"{ports[5]}"], Ready));
    }

    private async Task StartAsync(LocalnetOptions options, string name, string[] args, string ready)
    {
        var host = HostProcess.Start(options.GatewayCommand, args, options.Directory, Log(options, name));
        lock (_hosts)
        {
            _hosts.Add(host);
        }
        await host.WaitForAsync(ready, options.StartupTimeout);
    }

    private static string Log(LocalnetOptions options, string name) => Path.Combine(options.Directory, $"gateway-{name}.log");

    /// <summary>Stops the edges first, then the silo, each gracefully (SIGTERM).</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_hosts.Skip(1).Select(h => h.DisposeAsync().AsTask()));
        if (_hosts.Count > 0)
        {
            await _hosts[0].DisposeAsync();
        }
    }
}
