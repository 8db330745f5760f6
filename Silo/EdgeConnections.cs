using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace NymGateway.Silo;

/// <summary>
/// How a silo's gateway treats the edges' connections (edges are Orleans clients) after a
/// partition. A silo sends an edge its answers and stream events through its own connection from
/// that edge whenever it has one, whichever silo the call came in through. Behind a partition that
/// connection stays open on the silo's side: its unacknowledged data waits out TCP's retransmission
/// backoff (13 s apart after a 20 s cut, up to 2 minutes after a longer one), an idle one waits
/// for nothing at all, while the edge gave up on it during the cut and connects to another silo
/// after the heal. Every answer from this silo's grains then went into the dead connection until
/// its next retransmission drew a reset, and after that Orleans kept them for the edge's return
/// to this silo (a minute by default; lazily connecting, an edge may not come back for that long).
/// So the silo closes an edge's connection that leaves its data unacknowledged, or answers no
/// keepalive probe, for <see cref="UnacknowledgedTimeout"/>, and forgets an edge disconnected for
/// <see cref="ClientDropTimeout"/>: after a cut longer than both, the edge's answers go through the silo it reconnected to.
/// Orleans has no option for TCP_USER_TIMEOUT and keeps its sockets private, so this reads the
/// socket from Orleans' transport connection (Linux only; elsewhere the defaults stay).
/// </summary>
public static partial class EdgeConnections
{
    /// <summary>
    /// How long data sent to an edge may stay unacknowledged before the silo closes the connection
    /// (TCP_USER_TIMEOUT; Linux's default is about 15 minutes of retransmissions). Below the edge's
    /// 5 s call timeout, so a silo has closed its side by the time an edge gives up on its own.
    /// </summary>
    public static readonly TimeSpan UnacknowledgedTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long a gateway keeps a disconnected edge's messages for its return (Orleans' default: a minute); checked as often.</summary>
    public static readonly TimeSpan ClientDropTimeout = TimeSpan.FromSeconds(1);

    private const int TcpUserTimeout = 18; // TCP_USER_TIMEOUT in <netinet/tcp.h>

    /// <summary>
    /// Orleans' socket transport keeps its socket to itself: the field is read once per
    /// connection, and where it is missing (another Orleans version or transport) the default stays and the silo says so once.
    /// </summary>
    private static readonly FieldInfo? SocketField = Type.GetType("Orleans.Networking.Shared.SocketConnection, Orleans.Core")
        ?.GetField("_socket", BindingFlags.Instance | BindingFlags.NonPublic);

    private static int _warned;

    /// <summary>Whether the Orleans in use still keeps the socket where this looks for it (a unit test holds an upgrade to it).</summary>
    public static bool ReachesSockets => SocketField?.FieldType == typeof(Socket);

    public static ISiloBuilder UseEdgeConnectionTimeouts(this ISiloBuilder silo)
    {
        silo.Configure<SiloMessagingOptions>(o => o.ClientDropTimeout = ClientDropTimeout);
        silo.Configure<SiloConnectionOptions>(o => o.ConfigureGatewayInboundConnection(builder =>
        {
            var logger = builder.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EdgeConnections));
            builder.Use(next => context =>
            {
                Apply(context, logger);
                return next(context);
            });
        }));
        return silo;
    }

    private static void Apply(ConnectionContext context, ILogger logger)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        if (SocketField?.GetValue(context) is not Socket socket)
        {
            if (Interlocked.Exchange(ref _warned, 1) == 0)
            {
                LogNoSocket(logger, context.GetType().FullName);
            }
            return;
        }
        socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpUserTimeout, BitConverter.GetBytes((int)UnacknowledgedTimeout.TotalMilliseconds));
        // An idle connection has nothing unacknowledged: probes every second find it dead, and the
        // timeout above counts from the last thing heard. (Orleans' SocketConnectionOptions would set these on the silo-to-silo sockets too.)
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 1);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 1);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, (int)UnacknowledgedTimeout.TotalSeconds);
    }

    [LoggerMessage(EventId = 460, Level = LogLevel.Warning, Message = "Cannot reach the socket of an edge's connection ({Transport}): a partitioned edge's connection stays open until TCP gives up on it")]
    private static partial void LogNoSocket(ILogger logger, string? transport);
}
