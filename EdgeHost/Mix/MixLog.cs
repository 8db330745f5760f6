using System.Net;
using NymGateway.Grains;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;

namespace NymGateway.EdgeHost.Mix;

/// <summary>The mix side's log lines; the warnings are what remote mix nodes can trigger, so callers throttle them.</summary>
internal static partial class MixLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Refusing mix connection from {Remote}: {Refusal} limit of {Limit} open connections reached")]
    public static partial void MixConnectionRefused(this ILogger logger, IPAddress? remote, ConnectionRefusal refusal, int limit);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Starting connection handler for {Remote}")]
    public static partial void MixConnectionStarted(this ILogger logger, EndPoint? remote);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "Mix connection from {Remote} ended: {Error}")]
    public static partial void MixConnectionEnded(this ILogger logger, EndPoint? remote, string error);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "The socket connection from {Remote} got corrupted with error: {Error}. Closing the socket")]
    public static partial void MixConnectionCorrupted(this ILogger logger, EndPoint? remote, FrameError error);

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "Closing connection from {Remote}")]
    public static partial void MixConnectionClosed(this ILogger logger, EndPoint? remote);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Dropping a {Size} from the mixnet: {Error}")]
    public static partial void PacketDropped(this ILogger logger, PacketSize size, GatewayProcessingError error);

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "Dropping {Count} replayed packets from the mixnet, seen before by {Where}")]
    public static partial void ReplaysDropped(this ILogger logger, int count, string where);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Closing mix connection from {Remote}: nothing received for {Idle}")]
    public static partial void MixConnectionIdle(this ILogger logger, EndPoint? remote, TimeSpan idle);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Storing {Count} messages for {Client} failed; retrying in {Backoff}")]
    public static partial void DeliveryFailed(this ILogger logger, Exception error, int count, ClientAddressPrefix client, TimeSpan backoff);
}
