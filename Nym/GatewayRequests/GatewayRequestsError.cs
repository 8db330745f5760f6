using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;

namespace NymGateway.Nym.GatewayRequests;

/// <summary>GatewayRequestsError's variants.</summary>
public enum GatewayRequestsErrorKind
{
    TooShortRequest,
    InvalidMAC,
    IncorrectlyEncodedAddress,
    RequestOfInvalidSize,
    MalformedSphinxPacket,
    MalformedEncryption,
    InvalidPacketMode,
    InvalidMixPacket,
}

public sealed record GatewayRequestsError(GatewayRequestsErrorKind Kind, MixPacketError? MixPacket = null, int ActualSize = 0)
{
    /// <summary>The Rust Display text, which the gateway sends back in error responses.</summary>
    public override string ToString() => Kind switch
    {
        GatewayRequestsErrorKind.TooShortRequest => "the request is too short",
        GatewayRequestsErrorKind.InvalidMAC => "provided MAC is invalid",
        GatewayRequestsErrorKind.IncorrectlyEncodedAddress => "address field was incorrectly encoded",
        GatewayRequestsErrorKind.RequestOfInvalidSize =>
            $"received request had invalid size. (actual: {ActualSize}, but expected one of: {PacketSizes.Ack} (ACK), {PacketSizes.Regular} (REGULAR), {PacketSizes.Extended} (EXTENDED))",
        GatewayRequestsErrorKind.MalformedSphinxPacket => "received sphinx packet was malformed",
        GatewayRequestsErrorKind.MalformedEncryption => "the received encrypted data was malformed",
        GatewayRequestsErrorKind.InvalidPacketMode => "provided packet mode is invalid",
        _ => $"provided mix packet was malformed - {MixPacket}",
    };
}
