using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NymGateway.Cli.Config;
using NymGateway.EdgeHost;
using NymGateway.EdgeHost.Forwarding;
using NymGateway.EdgeHost.Presence;
using NymGateway.Grains.Storage;
using NymGateway.Grains.Streaming;
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
        return BuildEdge(builder, config, identity);
    }

    /// <summary>`silo`: one silo of the cluster, on PostgreSQL; no listeners of the gateway's own.</summary>
    public static IHost BuildClusterSilo(GatewayConfig config, IPAddress advertisedAddress)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        ConfigureLogging(builder.Logging, builder.Services);
        builder.Services.AddSystemd(); // as in CreateBuilder
        builder.UseOrleans(silo => silo
            .UseCluster(config.ResolvedPostgresConnectionString, config.ClusterId, advertisedAddress, config.SiloPort, config.GatewayPort)
            .AddGatewayGrains(StoreOptions(config), StreamOptions(config)));
        return builder.Build();
    }

    /// <summary>`edge`: listeners, Sphinx, forwarder and presence, as an Orleans client of the cluster; no storage.</summary>
    public static WebApplication BuildClusterEdge(GatewayConfig config, GatewayIdentity identity)
    {
        var builder = CreateBuilder();
        var signal = new ClusterChangeSignal();
        builder.Services.AddSingleton(signal);
        builder.UseOrleansClient(client => client.UseGatewayCluster(config.ResolvedPostgresConnectionString, config.ClusterId, signal));
        return BuildEdge(builder, config, identity, unregisterOnShutdown: false);
    }

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

    public static NotificationStreamOptions StreamOptions(GatewayConfig config) =>
        new() { PollPeriod = config.StreamPollPeriod, QueueCount = config.StreamQueueCount };

    private static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureLogging(builder.Logging, builder.Services);
        // Under systemd (Type=notify units in deploy/systemd): readiness and stop notifications, journal log levels; otherwise nothing.
        builder.Services.AddSystemd();
        return builder;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, IServiceCollection services)
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
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        services.AddSingleton<IHostLifetime, SignalLifetime>();
    }

    private static WebApplication BuildEdge(WebApplicationBuilder builder, GatewayConfig config, GatewayIdentity identity, bool unregisterOnShutdown = true)
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
        IPEndPoint? admin = string.IsNullOrEmpty(config.AdminListeningAddress) ? null : IPEndPoint.Parse(config.AdminListeningAddress);

        // The drain, then the silo's or cluster client's own graceful stop.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = edge.DrainTimeout + TimeSpan.FromSeconds(20));
        builder.Services.AddGatewayEdge(identity, edge, forwarder, presence);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenForGateway(edge, admin));
        var app = builder.Build();
        app.MapGatewayEdge(edge, admin);
        return app;
    }
}
