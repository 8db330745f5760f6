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

    public static InboxStreamOptions StreamOptions(GatewayConfig config) =>
        new() { PollPeriod = config.StreamPollPeriod, QueueCount = config.StreamQueueCount };

    private static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
            o.SingleLine = true;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        return builder;
    }

    private static WebApplication BuildEdge(WebApplicationBuilder builder, GatewayConfig config, GatewayIdentity identity)
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
        };
        IPEndPoint? admin = string.IsNullOrEmpty(config.AdminListeningAddress) ? null : IPEndPoint.Parse(config.AdminListeningAddress);

        builder.Services.AddGatewayEdge(identity, edge, forwarder, presence);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenForGateway(edge, admin));
        var app = builder.Build();
        app.MapGatewayEdge(edge, admin);
        return app;
    }
}
