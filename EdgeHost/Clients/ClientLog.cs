using System.Net;
using NymGateway.Grains;
using NymGateway.Nym.GatewayRequests;

namespace NymGateway.EdgeHost.Clients;

/// <summary>The client side's log lines; the warnings are what remote clients can trigger, so callers throttle them (<see cref="ClientLogThrottles"/>).</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Client {Client} registered")]
    public static partial void ClientRegistered(this ILogger logger, ClientAddressPrefix client);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Client {Client} authenticated")]
    public static partial void ClientAuthenticated(this ILogger logger, ClientAddressPrefix client);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Client {Client} disconnected")]
    public static partial void ClientDisconnected(this ILogger logger, ClientAddressPrefix client);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Client {Client} connected again elsewhere; closing this older connection")]
    public static partial void ClientConnectedElsewhere(this ILogger logger, ClientAddressPrefix client);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Client did not authenticate within {Timeout}; closing")]
    public static partial void AuthenticationTimedOut(this ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Client {Client} failed to authenticate")]
    public static partial void AuthenticationFailed(this ILogger logger, ClientAddressPrefix client);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Registration handshake failed - {Error}")]
    public static partial void HandshakeFailed(this ILogger logger, HandshakeError error);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Malformed request from a client: {Error}")]
    public static partial void MalformedRequest(this ILogger logger, string error);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "possibly received a sphinx packet without prior authentication. Request is going to be ignored")]
    public static partial void BinaryBeforeAuthentication(this ILogger logger);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Received non-text message during registration handshake")]
    public static partial void NonTextDuringHandshake(this ILogger logger);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Received a non-handshake message during the registration handshake! It's getting dropped.")]
    public static partial void NonHandshakeMessage(this ILogger logger);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Currently there are no text messages besides 'Authenticate' and 'Register' and they were already dealt with!")]
    public static partial void TextAfterAuthentication(this ILogger logger);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Client {Client} sent a request that failed to open: {Error}")]
    public static partial void BadForwardRequest(this ILogger logger, ClientAddressPrefix client, string error);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Refusing client connection from {Remote}: {Refusal} limit of {Limit} open connections reached")]
    public static partial void ClientConnectionRefused(this ILogger logger, IPAddress? remote, ConnectionRefusal refusal, int limit);

    [LoggerMessage(EventId = 114, Level = LogLevel.Debug, Message = "Client websocket from {Remote} ended: {Error}")]
    public static partial void WebSocketEnded(this ILogger logger, IPAddress? remote, string error);

    [LoggerMessage(EventId = 115, Level = LogLevel.Error, Message = "Client session ended with an error")]
    public static partial void SessionFault(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "Closing client connection from {Remote}: no websocket upgrade request within {Timeout}")]
    public static partial void UpgradeTimedOut(this ILogger logger, IPAddress? remote, TimeSpan timeout);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "Client {Client} is over its send quota ({Refusal}: {Packets} packets, {Bytes} bytes per {Interval}); refusing its requests")]
    public static partial void OverSendQuota(this ILogger logger, ClientAddressPrefix client, SendRefusal refusal, int packets, int bytes, TimeSpan interval);
}
