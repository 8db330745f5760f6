using System.Net;
using NymGateway.Cli.Config;
using NymGateway.EdgeHost;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Grains.Telemetry;
using NymGateway.Silo;

namespace NymGateway.Cli.Hosting;

/// <summary>Builds the hosts the commands run, from the config.</summary>
public static class GatewayHostFactory
{
    /// <summary>`run`: a silo and an edge host in one process, on the embedded SQLite database.</summary>
    /// <param name="extra">Services to add (tests: a logger provider that records).</param>
    public static WebApplication BuildSingleProcess(GatewayConfig config, GatewayIdentity identity, Action<IServiceCollection>? extra = null)
    {
        var builder = CreateBuilder(config);
        extra?.Invoke(builder.Services);
        builder.UseOrleans(silo => silo
            .UseSingleProcess(config.Cluster.SiloPort, config.Cluster.GatewayPort)
            .AddGatewayGrains(RuntimeOptions.Store(config), RuntimeOptions.Streams(config))
            .AddIdentityClaim(config, identity));
        return BuildEdge(builder, config, identity, [GatewayMetrics.MeterName, SiloMetrics.MeterName], unregisterOnShutdown: true);
    }

    /// <summary>`silo`: one silo of the cluster, on PostgreSQL; no listeners of the gateway's own, only the admin port if configured.</summary>
    public static IHost BuildClusterSilo(GatewayConfig config, GatewayIdentity identity, IPAddress advertisedAddress)
    {
        void AddSilo(IHostApplicationBuilder builder) => builder.UseOrleans(silo => silo
            .UseCluster(config.Storage.PostgresConnectionString, config.Cluster.ClusterId, advertisedAddress, config.Cluster.SiloPort, config.Cluster.GatewayPort)
            .AddGatewayGrains(RuntimeOptions.Store(config), RuntimeOptions.Streams(config))
            .AddIdentityClaim(config, identity));

        if (RuntimeOptions.Admin(config) is not { } admin)
        {
            var host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            ConfigureHost(host.Logging, host.Configuration, host.Services, config);
            AddSilo(host);
            return host.Build();
        }
        // A web host only for the admin port.
        var web = CreateBuilder(config);
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
        var builder = CreateBuilder(config);
        var signal = new ClusterChangeSignal();
        builder.Services.AddSingleton(signal);
        builder.UseOrleansClient(client => client.UseGatewayCluster(config.Storage.PostgresConnectionString, config.Cluster.ClusterId, signal));
        // After the cluster client (hosted services start in order), before presence and the listeners.
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ClusterIdentityCheck>(sp, config.Cluster.ClusterId));
        return BuildEdge(builder, config, identity, [GatewayMetrics.MeterName], unregisterOnShutdown: false);
    }

    /// <summary>A silo refuses to start with another gateway's keys than its cluster recorded.</summary>
    private static ISiloBuilder AddIdentityClaim(this ISiloBuilder silo, GatewayConfig config, GatewayIdentity identity)
    {
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => ActivatorUtilities.CreateInstance<IdentityClaim>(sp, identity, config.Cluster.ClusterId));
        return silo;
    }

    /// <summary>What an edge listens on, each with the setting that chooses it (for <see cref="PortPreflight"/>).</summary>
    public static (IPEndPoint, string)[] EdgeListeners(GatewayConfig config) =>
    [
        (config.MixnetEndpoint.ListeningAddress, "mix port: --mix-host/--mix-port, [mixnet_endpoint] listening_address"),
        (config.ClientsEndpoint.ListeningAddress, "clients port: --clients-host/--clients-port, [clients_endpoint] listening_address"),
        .. AdminListener(config),
    ];

    /// <summary>The admin port, when configured (edges and cluster silos each have one).</summary>
    public static (IPEndPoint, string)[] AdminListener(GatewayConfig config) =>
        RuntimeOptions.Admin(config) is { } admin ? [(admin, "admin port: [admin] listening_address")] : [];

    /// <summary>What a silo listens on: <paramref name="address"/> is loopback in one process, any address in a cluster.</summary>
    public static (IPEndPoint, string)[] SiloListeners(GatewayConfig config, IPAddress address) =>
    [
        (new IPEndPoint(address, config.Cluster.SiloPort), "Orleans silo port: --silo-port, [cluster] silo_port"),
        (new IPEndPoint(address, config.Cluster.GatewayPort), "Orleans gateway port: --gateway-port, [cluster] gateway_port"),
    ];

    private static WebApplicationBuilder CreateBuilder(GatewayConfig config)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureHost(builder.Logging, builder.Configuration, builder.Services, config);
        return builder;
    }

    /// <summary>What every host shares: logging, its lifetime (signals, systemd) and its shutdown timeout.</summary>
    private static void ConfigureHost(ILoggingBuilder logging, IConfigurationManager configuration, IServiceCollection services, GatewayConfig config)
    {
        GatewayLogging.Configure(logging, configuration, config);
        StartupLogFilter.AddTo(logging, services);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        // Under systemd (the Type=notify units in deploy/systemd): the notifier and journal log levels; otherwise nothing.
        services.AddSystemd();
        // After AddSystemd, so this lifetime (which also notifies systemd) replaces systemd's and the console's.
        services.AddSingleton<IHostLifetime, SignalLifetime>();
    }

    /// <param name="meters">What the admin port's /metrics exports: the meters of everything this host runs.</param>
    private static WebApplication BuildEdge(WebApplicationBuilder builder, GatewayConfig config, GatewayIdentity identity, string[] meters, bool unregisterOnShutdown)
    {
        var edge = RuntimeOptions.Edge(config);
        var admin = RuntimeOptions.Admin(config);
        // The drain, then the silo's or cluster client's own graceful stop.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = edge.Shutdown.DrainTimeout + TimeSpan.FromSeconds(20));
        builder.Services.AddGatewayEdge(identity, edge, RuntimeOptions.Forwarder(config), RuntimeOptions.Presence(config, identity, unregisterOnShutdown));
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
