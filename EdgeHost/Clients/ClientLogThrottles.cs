using NymGateway.EdgeHost.Telemetry;

namespace NymGateway.EdgeHost.Clients;

/// <summary>One throttle per kind of client misbehaviour, shared by every session of this edge.</summary>
public sealed class ClientLogThrottles(ILogger logger, TimeProvider time)
{
    /// <summary>Frames of the wrong type for the session's state (binary before authentication, text after it, ...).</summary>
    public LogThrottle WrongFrames { get; } = new(logger, "Client frames of the wrong kind", time);

    public LogThrottle MalformedRequests { get; } = new(logger, "Malformed client requests", time);

    /// <summary>ForwardSphinx requests whose MAC or content did not check out.</summary>
    public LogThrottle BadForwardRequests { get; } = new(logger, "Client requests that failed to open", time);

    /// <summary>Failed authentications and handshakes, and clients that never authenticated.</summary>
    public LogThrottle FailedAuthentications { get; } = new(logger, "Failed client authentications", time);

    /// <summary>Clients over their send quota.</summary>
    public LogThrottle OverQuota { get; } = new(logger, "Client requests refused for the send quota", time);
}
