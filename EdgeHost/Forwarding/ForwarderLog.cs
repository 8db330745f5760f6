using System.Net;

namespace NymGateway.EdgeHost.Forwarding;

internal static partial class ForwarderLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Dropped {Count} packet(s) for mix node {Hop}: {Reason}")]
    public static partial void PacketsDropped(this ILogger logger, int count, IPEndPoint hop, ForwardDropReason reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Connected to mix node {Hop}")]
    public static partial void Connected(this ILogger logger, IPEndPoint hop);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Connection to {Hop} failed ({Error}); retrying in {Backoff}")]
    public static partial void ConnectionFailed(this ILogger logger, IPEndPoint hop, string error, TimeSpan backoff);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "Mix node {Hop} got no packet for {Idle}; closing its connection")]
    public static partial void HopRetired(this ILogger logger, IPEndPoint hop, TimeSpan idle);
}
