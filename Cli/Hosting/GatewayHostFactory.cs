using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NymGateway.Cli.Config;
using NymGateway.EdgeHost;
using NymGateway.EdgeHost.Forwarding;
using NymGateway.EdgeHost.Presence;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Grains.Storage;
using NymGateway.Grains.Streaming;
using NymGateway.Grains.Telemetry;
using NymGateway.Silo;

namespace NymGateway.Cli.Hosting;

/// <summary>Builds the hosts the commands run, from the config.</summary>
public static class GatewayHostFactory
{
    /// <summary>`run`: a silo and an edge host in one process, on the embedded SQLite database.</summary>
    public static WebApplication BuildSingleProcess(GatewayConfig config, GatewayIdentity identity)
    {
        var builder = CreateBuilder();
        var store = StoreOptions(config);
        builder.UseOrleans(silo => silo
            .UseSingleProcess(config.SiloPort, config.GatewayPort)
            .AddGatewayGrains(store, StreamOptions(config)));
        return BuildEdge(builder, config, identity, [GatewayMetrics.MeterName, SiloMetrics.MeterName]);
    }

    /// <summary>`silo`: one silo of the cluster, on PostgreSQL; no listeners of the gateway's own, only the admin port if configured.</summary>
    public static IHost BuildClusterSilo(GatewayConfig config, IPAddress advertisedAddress)
    {
        void AddSilo(IHostApplicationBuilder builder) => builder.UseOrleans(silo => silo
            .UseCluster(config.ResolvedPostgresConnectionString, config.ClusterId, advertisedAddress, config.SiloPort, config.GatewayPort)
            .AddGatewayGrains(StoreOptions(config), StreamOptions(config)));

        if (AdminAddress(config) is not { } admin)
        {
            var host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            ConfigureHost(host.Logging, host.Services);
            AddSilo(host);
            return host.Build();
        }
        // A web host only for the admin port.
        var web = CreateBuilder();
        AddSilo(web);
        web.Services.AddAdminEndpoint(SiloMetrics.MeterName);
        web.WebHost.ConfigureKestrel(kestrel => kestrel.ListenForAdmin(admin));
        var app = web.Build();
        app.MapAdminEndpoint(admin);
        return app;
    }

    /// <summary>`edge`: listeners, Sphinx, forwarder and presence, as an Orleans client of the cluster; no storage.</summary>
    public static WebApplication BuildClusterEdge(GatewayConfig config, GatewayIdentity identity)
    {
        var builder = CreateBuilder();
        var signal = new ClusterChangeSignal();
        builder.Services.AddSingleton(signal);
        builder.UseOrleansClient(client => client.UseGatewayCluster(config.ResolvedPostgresConnectionString, config.ClusterId, signal));
        // After the cluster client (hosted services start in order), before presence and the listeners.
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ClusterIdentityCheck>(sp, config.ClusterId));
        return BuildEdge(builder, config, identity, [GatewayMetrics.MeterName], unregisterOnShutdown: false);
    }

    /// <summary>What an edge listens on, each with the setting that chooses it (for <see cref="PortPreflight"/>).</summary>
    public static (IPEndPoint, string)[] EdgeListeners(GatewayConfig config) =>
    [
        (config.MixListeningAddress, "mix port: --mix-host/--mix-port, [mixnet_endpoint] listening_address"),
        (config.ClientsListeningAddress, "clients port: --clients-host/--clients-port, [clients_endpoint] listening_address"),
        .. AdminListener(config),
    ];

    /// <summary>The admin port, when configured (edges and cluster silos each have one).</summary>
    public static (IPEndPoint, string)[] AdminListener(GatewayConfig config) =>
        AdminAddress(config) is { } admin ? [(admin, "admin port: [admin] listening_address")] : [];

    /// <summary>What a silo listens on: <paramref name="address"/> is loopback in one process, any address in a cluster.</summary>
    public static (IPEndPoint, string)[] SiloListeners(GatewayConfig config, IPAddress address) =>
    [
        (new IPEndPoint(address, config.SiloPort), "Orleans silo port: --silo-port, [cluster] silo_port"),
        (new IPEndPoint(address, config.GatewayPort), "Orleans gateway port: --gateway-port, [cluster] gateway_port"),
    ];

    public static GatewayStoreOptions StoreOptions(GatewayConfig config)
    {
        bool sqlite = config.Database == "sqlite";
        if (sqlite)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(config.SqlitePath))!);
        }
        return new GatewayStoreOptions
        {
            Provider = sqlite ? StoreProvider.Sqlite : StoreProvider.Postgres,
            ConnectionString = sqlite ? $"Data Source={config.SqlitePath}" : config.ResolvedPostgresConnectionString,
            MaxMessagesPerInbox = config.MaxMessagesPerInbox,
            MaxMessageAge = config.MaxMessageAge,
            SweepInterval = config.SweepInterval,
        };
    }

    private static IPEndPoint? AdminAddress(GatewayConfig config) =>
        string.IsNullOrEmpty(config.AdminListeningAddress) ? null : IPEndPoint.Parse(config.AdminListeningAddress);

    public static NotificationStreamOptions StreamOptions(GatewayConfig config) =>
        new() { PollPeriod = config.StreamPollPeriod, QueueCount = config.StreamQueueCount };

    private static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureHost(builder.Logging, builder.Services);
        return builder;
    }

    /// <summary>What every host shares: logging, its lifetime (signals, systemd) and its shutdown timeout.</summary>
    private static void ConfigureHost(ILoggingBuilder logging, IServiceCollection services)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
            o.SingleLine = true;
        });
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Orleans", LogLevel.Warning);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
        logging.AddFilter("Polly", LogLevel.Warning);
        // Its start and service failures come with whole stack traces; GatewayRunner prints them as one line each.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        StartupWatchdogFilter.AddTo(logging, services);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        // Under systemd (the Type=notify units in deploy/systemd): the notifier and journal log levels; otherwise nothing.
        services.AddSystemd();
        // After AddSystemd, so this lifetime (which also notifies systemd) replaces systemd's and the console's.
        services.AddSingleton<IHostLifetime, SignalLifetime>();
    }

    /// <param name="meters">What the admin port's /metrics exports: the meters of everything this host runs.</param>
    private static WebApplication BuildEdge(WebApplicationBuilder builder, GatewayConfig config, GatewayIdentity identity, string[] meters, bool unregisterOnShutdown = true)
    {
        var edge = new EdgeOptions
        {
            MixListen = config.MixListeningAddress,
            ClientsListen = config.ClientsListeningAddress,
            MaxMixConnectionsPerIp = config.MaxMixConnectionsPerIp,
            MaxClientConnectionsPerIp = config.MaxClientConnectionsPerIp,
            MaxClientMessageBytes = config.MaxClientMessageBytes,
            AuthenticationTimeout = config.AuthenticationTimeout,
            MaxFramesPerBatch = config.MaxFramesPerBatch,
            InboxRedrainInterval = config.InboxRedrainInterval,
        };
        var forwarder = new ForwarderOptions
        {
            InitialReconnectionBackoff = config.PacketForwardingInitialBackoff,
            MaximumReconnectionBackoff = config.PacketForwardingMaximumBackoff,
            InitialConnectionTimeout = config.InitialConnectionTimeout,
            MaximumConnectionBufferSize = config.MaximumConnectionBufferSize,
        };
        var presence = new PresenceOptions
        {
            ValidatorUrl = config.ValidatorRestUrl,
            MixAnnounceAddress = config.MixAnnounceAddress,
            ClientsAnnounceAddress = config.ClientsAnnounceAddress,
            IdentityKey = identity.Identity.PublicKey.ToBase58(),
            SphinxKey = NymGateway.Nym.Encoding.Base58Text.Encode(identity.Sphinx.PublicKey),
            Version = GatewayConfig.Version,
            Location = config.Location,
            IncentivesAddress = config.IncentivesAddress,
            Interval = config.PresenceSendingDelay,
            // One edge stopping must not delist a gateway whose other edges still serve.
            UnregisterOnShutdown = unregisterOnShutdown,
        };
        var admin = AdminAddress(config);

        // The drain, then the silo's or cluster client's own graceful stop.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = edge.DrainTimeout + TimeSpan.FromSeconds(20));
        builder.Services.AddGatewayEdge(identity, edge, forwarder, presence);
        if (admin is not null)
        {
            builder.Services.AddAdminEndpoint(meters);
        }
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenForGateway(edge, admin));
        var app = builder.Build();
        app.MapGatewayEdge(edge, admin);
        return app;
    }
}
