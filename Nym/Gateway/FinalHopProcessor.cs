using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
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
        out ProcessedFinalHop result, [NotNullWhen(false)] out GatewayProcessingError? error)
    {
        result = null!;
        if (!node.TryProcess(packet, scratch, out var hop, out var sphinxError))
        {
            error = new GatewayProcessingError(GatewayProcessingErrorKind.SphinxProcessingError, sphinxError);
            return false;
        }
        return TryFinish(size, mode, hop, scratch[..hop.OutputLength], out result, out error);
    }

    /// <summary>
    /// <see cref="TryProcess"/> on each packet, with the same results and errors (<c>errors[i]</c>
    /// is null where <c>results[i]</c> is set); the Sphinx layers open <see cref="SphinxNode.BatchSize"/>
    /// at a time in <see cref="SphinxNode.ProcessBatch"/>, in scratch space rented from the shared pool.
    /// </summary>
    public void ProcessBatch(ReadOnlySpan<ReceivedPacket> packets, Span<ProcessedFinalHop?> results, Span<GatewayProcessingError?> errors)
    {
        if (results.Length < packets.Length || errors.Length < packets.Length)
        {
            throw new ArgumentException("a result and an error for each packet");
        }
        var bytes = new PacketBytes();
        Span<ProcessedHop> hops = stackalloc ProcessedHop[SphinxNode.BatchSize];
        var sphinxErrors = new SphinxErrors();
        // Even passes fill the lanes alike: 17 packets go as 9 and 8, not 16 and a lone one.
        int passes = (packets.Length + SphinxNode.BatchSize - 1) / SphinxNode.BatchSize;
        int perPass = passes == 0 ? 0 : (packets.Length + passes - 1) / passes;
        for (int start = 0; start < packets.Length; start += perPass)
        {
            var chunk = packets.Slice(start, Math.Min(perPass, packets.Length - start));
            int length = 0;
            for (int i = 0; i < chunk.Length; i++)
            {
                bytes[i] = chunk[i].Bytes;
                length += chunk[i].Bytes.Length;
            }
            var scratch = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                node.ProcessBatch(((ReadOnlySpan<ReadOnlyMemory<byte>>)bytes)[..chunk.Length], scratch, hops, sphinxErrors);
                for (int i = 0, at = 0; i < chunk.Length; at += chunk[i].Bytes.Length, i++)
                {
                    ProcessedFinalHop? result = null;
                    GatewayProcessingError? error;
                    if (sphinxErrors[i] is { } sphinxError)
                    {
                        error = new GatewayProcessingError(GatewayProcessingErrorKind.SphinxProcessingError, sphinxError);
                    }
                    else if (TryFinish(chunk[i].Size, chunk[i].Mode, hops[i], scratch.AsSpan(at, hops[i].OutputLength), out var finished, out error))
                    {
                        result = finished;
                    }
                    results[start + i] = result;
                    errors[start + i] = error;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(scratch.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(scratch);
                ((Span<ReadOnlyMemory<byte>>)bytes).Clear();
                ((Span<SphinxError?>)sphinxErrors).Clear();
            }
        }
    }

    [InlineArray(SphinxNode.BatchSize)]
    private struct PacketBytes
    {
        private ReadOnlyMemory<byte> _element;
    }

    [InlineArray(SphinxNode.BatchSize)]
    private struct SphinxErrors
    {
        private SphinxError? _element;
    }

    /// <summary>The gateway's part after the Sphinx layer: the plaintext, and for regular and extended packets the SURB-ACK split off.</summary>
    private static bool TryFinish(PacketSize size, PacketMode mode, in ProcessedHop hop, ReadOnlySpan<byte> payload,
        out ProcessedFinalHop result, [NotNullWhen(false)] out GatewayProcessingError? error)
    {
        result = null!;
        if (hop.Kind != SphinxHopKind.Final)
        {
            error = new GatewayProcessingError(GatewayProcessingErrorKind.ForwardHopReceivedError);
            return false;
        }
        if (!SphinxPayload.TryRecoverPlaintext(payload, out var range, out var sphinxError))
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
