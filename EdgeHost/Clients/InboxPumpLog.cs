using NymGateway.Grains;

namespace NymGateway.EdgeHost.Clients;

/// <summary>The inbox pump's and the session heartbeat's log lines: trouble with the cluster or the store, never with the client.</summary>
internal static partial class InboxPumpLog
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Warning, Message = "Subscribing to {Client}'s inbox stream failed ({Error}); reading the store meanwhile")]
    public static partial void SubscribeFailed(this ILogger logger, ClientAddressPrefix client, string error);

    [LoggerMessage(EventId = 151, Level = LogLevel.Warning, Message = "Delivering {Client}'s inbox paused: {Error}; retrying")]
    public static partial void DeliveryPaused(this ILogger logger, ClientAddressPrefix client, string error);

    [LoggerMessage(EventId = 152, Level = LogLevel.Debug, Message = "Inbox stream of {Client} reported {Error}; re-reading the store")]
    public static partial void StreamFellBehind(this ILogger logger, ClientAddressPrefix client, string error);

    [LoggerMessage(EventId = 153, Level = LogLevel.Warning, Message = "Acknowledging {Count} pushed messages of {Client} failed (attempt {Attempt})")]
    public static partial void AcknowledgeFailed(this ILogger logger, Exception error, int count, ClientAddressPrefix client, int attempt);

    [LoggerMessage(EventId = 154, Level = LogLevel.Error, Message = "Giving up acknowledging {Count} pushed messages of {Client}; they stay stored")]
    public static partial void AcknowledgeGivenUp(this ILogger logger, Exception error, int count, ClientAddressPrefix client);

    [LoggerMessage(EventId = 155, Level = LogLevel.Debug, Message = "Unsubscribing {Client}'s inbox stream failed")]
    public static partial void UnsubscribeFailed(this ILogger logger, Exception error, ClientAddressPrefix client);

    [LoggerMessage(EventId = 156, Level = LogLevel.Warning, Message = "Re-asserting {Client}'s session failed: {Error}; retrying")]
    public static partial void HeartbeatFailed(this ILogger logger, ClientAddressPrefix client, string error);
}
