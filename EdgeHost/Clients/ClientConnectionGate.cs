using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using NymGateway.EdgeHost.Telemetry;

namespace NymGateway.EdgeHost.Clients;

/// <summary>
/// Kestrel connection middleware on the clients port: every TCP connection counts against the
/// per-IP and total limits from its connect, not only from its websocket upgrade, and one that
/// has not sent its upgrade request within <see cref="EdgeLimits.ClientUpgradeTimeout"/> is closed.
/// </summary>
public sealed class ClientConnectionGate(IOptions<EdgeOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<ClientConnectionGate> logger)
{
    private readonly EdgeLimits _limits = options.Value.Limits;
    private readonly ConnectionLimiter _limiter = new(options.Value.Limits.MaxClientConnectionsPerIp, options.Value.Limits.MaxClientConnections);
    private readonly ConcurrentDictionary<string, ITimer> _awaitingUpgrade = new();
    private readonly LogThrottle _refusedLog = new(logger, "Refused client connections", time);
    private readonly LogThrottle _timedOutLog = new(logger, "Client connections closed without an upgrade", time);

    /// <summary>TCP connections open on the clients port now.</summary>
    public int OpenConnections => _limiter.Open;

    public async Task OnConnectedAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        var refusal = _limiter.TryAcquire(remote);
        if (refusal != ConnectionRefusal.None)
        {
            metrics.ConnectionRefused(GatewayMetrics.ClientsListener, refusal);
            if (_refusedLog.TryEnter())
            {
                logger.ClientConnectionRefused(remote, refusal, refusal == ConnectionRefusal.Total ? _limits.MaxClientConnections : _limits.MaxClientConnectionsPerIp);
            }
            connection.Abort();
            return;
        }
        var deadline = time.CreateTimer(_ => UpgradeTimedOut(connection, remote), null, _limits.ClientUpgradeTimeout, Timeout.InfiniteTimeSpan);
        _awaitingUpgrade[connection.ConnectionId] = deadline;
        try
        {
            await next(connection);
        }
        finally
        {
            _awaitingUpgrade.TryRemove(connection.ConnectionId, out _);
            await deadline.DisposeAsync();
            _limiter.Release(remote);
        }
    }

    /// <summary>The websocket request of this connection arrived: it may stay beyond the upgrade timeout.</summary>
    public void Upgrading(HttpContext context)
    {
        if (_awaitingUpgrade.TryRemove(context.Connection.Id, out var deadline))
        {
            deadline.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void UpgradeTimedOut(ConnectionContext connection, IPAddress? remote)
    {
        if (!_awaitingUpgrade.TryRemove(connection.ConnectionId, out _))
        {
            return; // the upgrade request came just now
        }
        metrics.ConnectionsTimedOut.Add(1, GatewayMetrics.ClientsListener);
        if (_timedOutLog.TryEnter())
        {
            logger.UpgradeTimedOut(remote, _limits.ClientUpgradeTimeout);
        }
        connection.Abort(new ConnectionAbortedException("no websocket upgrade request in time"));
    }
}
