namespace NymGateway.Nym.GatewayRequests;

/// <summary>HandshakeError's variants.</summary>
public enum HandshakeErrorKind
{
    KeyMaterialOfInvalidSize,
    InvalidSignature,
    NetworkError,
    ClosedStream,
    RemoteError,
    MalformedResponse,
    MalformedRequest,
    HandshakeFailure,
}

public sealed record HandshakeError(HandshakeErrorKind Kind, string Remote = "", int Size = 0)
{
    /// <summary>The Rust Display text, which is also what a failing side sends as handshakeError.</summary>
    public override string ToString() => Kind switch
    {
        HandshakeErrorKind.KeyMaterialOfInvalidSize => $"received key material of invalid length - {Size}. Expected: 64",
        HandshakeErrorKind.InvalidSignature => "received invalid signature",
        HandshakeErrorKind.NetworkError => "encountered network error",
        HandshakeErrorKind.ClosedStream => "the stream was closed before completing handshake",
        HandshakeErrorKind.RemoteError => $"error on the remote: {Remote}",
        HandshakeErrorKind.MalformedResponse => "received response was malformed:",
        HandshakeErrorKind.MalformedRequest => "sent request was malformed",
        _ => "unknown handshake failure",
    };
}

/// <summary>
/// What a handshake side does with one incoming text frame: send <see cref="Send"/> (if any),
/// then it is done with <see cref="Keys"/>, has failed with <see cref="Error"/>, or waits on.
/// <see cref="Ignored"/> frames were not handshake messages and are dropped, as 0.9.2 drops them.
/// </summary>
public sealed record HandshakeStep(string? Send, SharedKeys? Keys = null, HandshakeError? Error = null, bool Ignored = false)
{
    public bool IsFinished => Keys is not null || Error is not null;

    internal static HandshakeStep Fail(HandshakeError error) =>
        new(GatewayJson.Serialize(new HandshakeMessage.Error(error.ToString())), Error: error);

    internal static HandshakeStep RemoteFailed(string message) =>
        new(null, Error: new HandshakeError(HandshakeErrorKind.RemoteError, message));

    internal static readonly HandshakeStep Ignore = new(null, Ignored: true);
}
