using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using NymGateway.EdgeHost.Forwarding;
using NymGateway.EdgeHost.Shutdown;
using NymGateway.EdgeHost.Telemetry;

namespace NymGateway.EdgeHost.Clients;

/// <summary>Accepts client websockets on the clients port (any path, as 0.9.2 accepts them) and runs a session for each.</summary>
public sealed class ClientWebSocketEndpoint(
    GatewayIdentity identity,
    IClusterClient cluster,
    MixPacketForwarder forwarder,
    IOptions<EdgeOptions> options,
    GatewayMetrics metrics,
    ClusterChangeSignal clusterChanges,
    ConnectionDrain drain,
    ClientConnectionGate gate,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<ClientSession>();
    private readonly ClientLogThrottles _throttles = new(loggers.CreateLogger<ClientSession>(), time);

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("this is a Nym gateway's websocket endpoint\n");
            return;
        }
        if (drain.Draining.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        // Counted against the connection limits since its connect (ClientConnectionGate).
        gate.Upgrading(context);
        var remote = context.Connection.RemoteIpAddress;
        using var open = drain.Track();
        try
        {
            using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
            using var channel = new WebSocketChannel(webSocket, options.Value.Limits.MaxClientMessageBytes);
            var session = new ClientSession(channel, identity, cluster, forwarder, options.Value, metrics, clusterChanges, _throttles, time, _logger);
            await session.RunAsync(context.RequestAborted, drain.Draining);
            await channel.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            _logger.WebSocketEnded(remote, ex.Message);
        }
    }
}
