using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Gateway;

/// <summary>Why a packet arriving from the mixnet was dropped (GatewayProcessingError / MixProcessingError).</summary>
public enum GatewayProcessingErrorKind
{
    /// <summary>The Sphinx layer did not open (MAC, payload, routing flag).</summary>
    SphinxProcessingError,

    /// <summary>The packet named a further hop; a gateway is always the last one.</summary>
    ForwardHopReceivedError,

    /// <summary>A regular or extended packet too short to carry a SURB-ACK.</summary>
    NoSURBAckInFinalHop,

    /// <summary>The SURB-ACK's first-hop address does not decode.</summary>
    MalformedSURBAck,
}

public sealed record GatewayProcessingError(GatewayProcessingErrorKind Kind, SphinxError? Sphinx = null)
{
    public override string ToString() => Kind switch
    {
        GatewayProcessingErrorKind.SphinxProcessingError => $"Sphinx Processing Error - {Sphinx}",
        GatewayProcessingErrorKind.ForwardHopReceivedError => "received a forward hop packet; a gateway only accepts final hops",
        GatewayProcessingErrorKind.NoSURBAckInFinalHop => "No SURBAck present in the final hop data",
        _ => "Malformed SURBAck - InvalidAddress",
    };
}
