using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NymGateway.EdgeHost.Clients;
using NymGateway.EdgeHost.Forwarding;
using NymGateway.EdgeHost.Mix;
using NymGateway.EdgeHost.Presence;
using NymGateway.EdgeHost.Shutdown;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Nym.Replay;

namespace NymGateway.EdgeHost;

/// <summary>Wires an edge host: its services, its Kestrel listeners and its endpoints (the admin port: <see cref="AdminEndpoint"/>).</summary>
public static class EdgeHostExtensions
{
    public static IServiceCollection AddGatewayEdge(
        this IServiceCollection services, GatewayIdentity identity, EdgeOptions edge, ForwarderOptions forwarder, PresenceOptions presence)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(identity);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(edge));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(forwarder));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(presence));
        services.AddSingleton<GatewayMetrics>();
        services.TryAddSingleton<ClusterChangeSignal>();
        services.TryAddSingleton<SiloConnectionWatch>();
        services.AddSingleton<MixPacketForwarder>();
        services.AddSingleton(provider => new ReplayFilter(
            edge.Replay.ExpectedItems(), 1.0 / edge.Replay.FalsePositiveOneIn, edge.Replay.Window, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PacketIngest>();
        services.AddSingleton<ClientConnectionGate>();
        services.AddSingleton<ClientWebSocketEndpoint>();
        services.AddHttpClient<ValidatorClient>(http => http.Timeout = TimeSpan.FromSeconds(10));
        // Hosts stop their services in reverse order: presence unregisters first, then the connections drain.
        services.AddSingleton<ConnectionDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<ConnectionDrain>());
        services.AddHostedService<PresenceNotifier>();
        services.AddHostedService<MemoryAfterStorm>();
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
        return services;
    }

    /// <summary>The mix port (raw TCP through <see cref="MixConnectionHandler"/>), the clients port (behind <see cref="ClientConnectionGate"/>), and the optional admin port.</summary>
    public static void ListenForGateway(this KestrelServerOptions kestrel, EdgeOptions edge, IPEndPoint? admin)
    {
        kestrel.Listen(edge.MixListen, listen => listen.UseConnectionHandler<MixConnectionHandler>());
        kestrel.Listen(edge.ClientsListen, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            // Before HTTP: connection limits and the upgrade timeout apply to every TCP connection.
            var gate = listen.ApplicationServices.GetRequiredService<ClientConnectionGate>();
            listen.Use(next => connection => gate.OnConnectedAsync(connection, next));
        });
        if (admin is not null)
        {
            kestrel.ListenForAdmin(admin);
        }
        kestrel.AddServerHeader = false;
    }

    /// <summary>Websockets on every path of the clients port; /health and /metrics on the admin port only.</summary>
    public static void MapGatewayEdge(this WebApplication app, EdgeOptions edge, IPEndPoint? admin)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        if (admin is not null)
        {
            app.MapAdminEndpoint(admin);
        }
        var endpoint = app.Services.GetRequiredService<ClientWebSocketEndpoint>();
        app.MapWhen(context => context.Connection.LocalPort == edge.ClientsListen.Port, clients => clients.Run(endpoint.HandleAsync));
    }
}
