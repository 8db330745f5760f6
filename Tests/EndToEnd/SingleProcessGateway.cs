using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NymGateway.Cli.Config;
using NymGateway.Cli.Hosting;
using NymGateway.EdgeHost;
using NymGateway.Grains.Storage;
using NymGateway.Tests.Telemetry;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// A whole gateway (silo + edge, SQLite) in this process on loopback ports of its own, over a
/// temporary directory that survives <see cref="RestartAsync"/>.
/// </summary>
public sealed class SingleProcessGateway : IAsyncDisposable
{
    private WebApplication? _app;

    private SingleProcessGateway(GatewayConfig config, GatewayIdentity identity)
    {
        Config = config;
        Identity = identity;
    }

    public GatewayConfig Config { get; }
    public GatewayIdentity Identity { get; }
    public IPEndPoint MixEndPoint => Config.MixnetEndpoint.ListeningAddress;
    public Uri ClientsUri => new($"ws://{Config.ClientsEndpoint.ListeningAddress}/");
    public IGatewayStore Store => _app!.Services.GetRequiredService<IGatewayStore>();

    /// <summary>Every line the gateway logged (at the configured levels), as "Level: message".</summary>
    public RecordingLoggerProvider Logs { get; } = new();

    /// <summary>The running host's services (a restart makes new ones).</summary>
    public IServiceProvider Services => _app!.Services;

    public static async Task<SingleProcessGateway> StartAsync(Action<GatewayConfig>? configure = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "nym-gateway-tests", Guid.NewGuid().ToString("N"));
        var config = GatewayConfig.CreateDefault("test", root);
        var ports = FreePorts.Take(4);
        config.MixnetEndpoint.ListeningAddress = new IPEndPoint(IPAddress.Loopback, ports[0]);
        config.ClientsEndpoint.ListeningAddress = new IPEndPoint(IPAddress.Loopback, ports[1]);
        config.Cluster.SiloPort = ports[2];
        config.Cluster.GatewayPort = ports[3];
        config.Gateway.ValidatorRestUrl = "";
        config.Debug.PacketForwardingInitialBackoff = TimeSpan.FromMilliseconds(100);
        configure?.Invoke(config);
        GatewayKeyFiles.Create(config);

        var gateway = new SingleProcessGateway(config, GatewayKeyFiles.Load(config));
        await gateway.StartHostAsync();
        return gateway;
    }

    /// <summary>Stops the whole host and starts a new one on the same database, keys and ports.</summary>
    public async Task RestartAsync()
    {
        await StopHostAsync();
        await StartHostAsync();
    }

    private async Task StartHostAsync()
    {
        _app = GatewayHostFactory.BuildSingleProcess(Config, Identity, services => services.AddSingleton<ILoggerProvider>(Logs));
        await _app.StartAsync();
    }

    private async Task StopHostAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();
        try
        {
            Directory.Delete(Config.GatewayDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
