using System.Net;
using Microsoft.Extensions.Logging;
using NymGateway.Nym.Addressing;

namespace NymGateway.EdgeHost.Forwarding;

internal static partial class ForwarderLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Connection to {Hop} cannot keep up; dropping a packet")]
    public static partial void PacketDropped(this ILogger logger, NodeAddress hop);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Connected to mix node {Hop}")]
    public static partial void Connected(this ILogger logger, IPEndPoint hop);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Connection to {Hop} failed ({Error}); retrying in {Backoff}")]
    public static partial void ConnectionFailed(this ILogger logger, IPEndPoint hop, string error, TimeSpan backoff);
}
