using NymGateway.Nym.Addressing;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Gateway;

/// <summary>A packet for one of our clients, the SURB-ACK to send on its behalf, and its replay tag.</summary>
public sealed record ProcessedFinalHop(byte[] Destination, MixPacket? ForwardAck, byte[] Message, Bytes32 ReplayTag);

/// <summary>
/// What the 0.9.2 gateway does with a packet from a mix node: open its (final) Sphinx layer,
/// recover the plaintext, and for regular and extended packets split off the first
/// 405 bytes (19-byte first-hop address || ACK-sized Sphinx packet) as the SURB-ACK to forward.
/// </summary>
public sealed class FinalHopProcessor(SphinxNode node)
{
    /// <summary>Bytes of a SURB-ACK at the start of a regular or extended message.</summary>
    public const int SurbAckLength = NodeAddress.MaxUnpaddedLength + PacketSizes.Ack;

    /// <param name="scratch">At least <c>packet.Length</c> bytes to work in; rent it from a pool.</param>
    public bool TryProcess(PacketSize size, PacketMode mode, ReadOnlySpan<byte> packet, Span<byte> scratch,
        out ProcessedFinalHop result, out GatewayProcessingError? error)
    {
        result = null!;
        if (!node.TryProcess(packet, scratch, out var hop, out var sphinxError))
        {
            error = new GatewayProcessingError(GatewayProcessingErrorKind.SphinxProcessingError, sphinxError);
            return false;
        }
        if (hop.Kind != SphinxHopKind.Final)
        {
            error = new GatewayProcessingError(GatewayProcessingErrorKind.ForwardHopReceivedError);
            return false;
        }
        var payload = scratch[..hop.OutputLength];
        if (!SphinxPayload.TryRecoverPlaintext(payload, out var range, out sphinxError))
        {
            error = new GatewayProcessingError(GatewayProcessingErrorKind.SphinxProcessingError, sphinxError);
            return false;
        }
        var plaintext = payload[range];

        MixPacket? ack = null;
        if (size != PacketSize.ACKPacket)
        {
            if (plaintext.Length < SurbAckLength)
            {
                error = new GatewayProcessingError(GatewayProcessingErrorKind.NoSURBAckInFinalHop);
                return false;
            }
            if (!NodeAddress.TryParse(plaintext[..SurbAckLength], out var firstHop, out _))
            {
                error = new GatewayProcessingError(GatewayProcessingErrorKind.MalformedSURBAck);
                return false;
            }
            ack = new MixPacket(firstHop, plaintext.Slice(NodeAddress.MaxUnpaddedLength, PacketSizes.Ack).ToArray(), mode);
            plaintext = plaintext[SurbAckLength..];
        }

        result = new ProcessedFinalHop(hop.Address.ToArray(), ack, plaintext.ToArray(), hop.ReplayTag);
        error = null;
        return true;
    }

    /// <summary>Builds the plaintext a sender puts in a regular packet: SURB-ACK (first hop || ACK packet) || message.</summary>
    public static byte[] PrependSurbAck(NodeAddress ackFirstHop, ReadOnlySpan<byte> ackPacket, ReadOnlySpan<byte> message)
    {
        if (ackPacket.Length != PacketSizes.Ack)
        {
            throw new ArgumentException("a SURB-ACK carries an ACK-sized packet", nameof(ackPacket));
        }
        var bytes = new byte[SurbAckLength + message.Length];
        ackFirstHop.Write(bytes);
        ackPacket.CopyTo(bytes.AsSpan(NodeAddress.MaxUnpaddedLength));
        message.CopyTo(bytes.AsSpan(SurbAckLength));
        return bytes;
    }
}
