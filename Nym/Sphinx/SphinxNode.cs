using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using NymGateway.Nym.Crypto;

namespace NymGateway.Nym.Sphinx;

/// <summary>
/// Processes Sphinx packets with one node's X25519 key: <c>SphinxPacket::from_bytes</c>
/// followed by <c>process</c>, including the crate's order of checks and its errors.
/// Thread-safe; per-packet secrets live on the stack and are wiped.
/// </summary>
public sealed class SphinxNode
{
    /// <summary>The whole AES blocks that hold a final hop's meta information (a forward hop's is shorter).</summary>
    private const int MetaInfoLength = (SphinxConstants.FinalNodeMetaInfoLength + Aes128Ctr.IvSize - 1) / Aes128Ctr.IvSize * Aes128Ctr.IvSize;

    private readonly byte[] _privateKey = new byte[X25519.KeySize];

    /// <param name="privateKey">32 raw or clamped secret bytes; they are clamped as the crate does.</param>
    public SphinxNode(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != X25519.KeySize)
        {
            throw new ArgumentException("a Sphinx private key is 32 bytes", nameof(privateKey));
        }
        privateKey.CopyTo(_privateKey);
        Scalar25519.Clamp(_privateKey);
    }

    /// <summary>
    /// Processes one packet. <paramref name="output"/> must hold at least <c>packet.Length</c>
    /// bytes: a forward hop writes the whole next packet there, a final hop the payload.
    /// </summary>
    public bool TryProcess(ReadOnlySpan<byte> packet, Span<byte> output, out ProcessedHop hop, [NotNullWhen(false)] out SphinxError? error)
    {
        hop = default;
        if (packet.Length < SphinxConstants.HeaderSize + SphinxConstants.PayloadOverheadSize)
        {
            error = new SphinxError(SphinxErrorKind.InvalidPacket,
                $"tried to recover sphinx packet using {packet.Length} bytes, expected at least {SphinxConstants.HeaderSize + SphinxConstants.PayloadOverheadSize}");
            return false;
        }
        if (output.Length < packet.Length)
        {
            throw new ArgumentException("output must be at least as long as the packet", nameof(output));
        }

        var alpha = packet[..SphinxConstants.GroupElementSize];
        var mac = packet.Slice(SphinxConstants.GroupElementSize, SphinxConstants.MacSize);
        var beta = packet.Slice(SphinxConstants.GroupElementSize + SphinxConstants.MacSize, SphinxConstants.EncryptedRoutingInfoSize);
        var payload = packet[SphinxConstants.HeaderSize..];

        Span<byte> keys = stackalloc byte[SphinxConstants.ExpandedSecretLength];
        Span<byte> routing = stackalloc byte[SphinxConstants.StreamCipherOutputLength];
        try
        {
            Span<byte> shared = stackalloc byte[X25519.KeySize];
            X25519.SharedSecret(_privateKey, alpha, shared);
            RoutingKeys.Derive(shared, keys);
            CryptographicOperations.ZeroMemory(shared);

            Span<byte> expectedMac = stackalloc byte[SphinxConstants.MacSize];
            RoutingKeys.ComputeHeaderMac(RoutingKeys.MacKey(keys), beta, expectedMac);
            if (!CryptographicOperations.FixedTimeEquals(expectedMac, mac))
            {
                error = new SphinxError(SphinxErrorKind.InvalidHeader, "failed to verify integrity MAC");
                return false;
            }

            // beta || zero padding, decrypted with the full keystream; a final hop reads only the
            // blocks of its flag, destination and identifier, so the rest waits for a forward hop.
            beta.CopyTo(routing);
            routing[SphinxConstants.EncryptedRoutingInfoSize..].Clear();
            Span<byte> iv = stackalloc byte[Aes128Ctr.IvSize];
            Aes128Ctr.Apply(RoutingKeys.StreamCipherKey(keys), iv, routing[..MetaInfoLength]);

            // Only an authenticated header gets a tag, so garbage never enters a replay filter.
            hop.ReplayTag = Bytes32.From(RoutingKeys.ReplayTag(keys));
            byte flag = routing[0];
            int offset = SphinxConstants.FlagLength + SphinxConstants.VersionLength;
            switch (flag)
            {
                case SphinxConstants.ForwardHopFlag:
                    iv[^1] = MetaInfoLength / Aes128Ctr.IvSize; // the counter after those blocks
                    Aes128Ctr.Apply(RoutingKeys.StreamCipherKey(keys), iv, routing[MetaInfoLength..]);
                    hop.Kind = SphinxHopKind.Forward;
                    hop.Address = Bytes32.From(routing[offset..]);
                    offset += SphinxConstants.NodeAddressLength;
                    hop.DelayNanos = BinaryPrimitives.ReadUInt64BigEndian(routing[offset..]);
                    offset += SphinxConstants.DelayLength;

                    // next header: blinded alpha || next MAC || next routing info
                    Span<byte> blinding = stackalloc byte[32];
                    Scalar25519.ReduceFromBytes(RoutingKeys.BlindingFactor(keys), blinding);
                    X25519.MultiplyUnclamped(blinding, alpha, output);
                    CryptographicOperations.ZeroMemory(blinding);
                    routing.Slice(offset, SphinxConstants.MacSize + SphinxConstants.EncryptedRoutingInfoSize)
                        .CopyTo(output[SphinxConstants.GroupElementSize..]);

                    var nextPayload = output.Slice(SphinxConstants.HeaderSize, payload.Length);
                    payload.CopyTo(nextPayload);
                    if (!UnwrapPayload(keys, nextPayload, out error))
                    {
                        return false;
                    }
                    hop.OutputLength = packet.Length;
                    return true;

                case SphinxConstants.FinalHopFlag:
                    hop.Kind = SphinxHopKind.Final;
                    hop.Address = Bytes32.From(routing[offset..]);
                    offset += SphinxConstants.DestinationAddressLength;
                    hop.Identifier = Bytes16.From(routing[offset..]);

                    var finalPayload = output[..payload.Length];
                    payload.CopyTo(finalPayload);
                    if (!UnwrapPayload(keys, finalPayload, out error))
                    {
                        return false;
                    }
                    hop.OutputLength = payload.Length;
                    return true;

                default:
                    error = new SphinxError(SphinxErrorKind.InvalidRouting, $"tried to parse unknown routing flag: {flag}");
                    return false;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
            CryptographicOperations.ZeroMemory(routing);
        }
    }

    private static bool UnwrapPayload(ReadOnlySpan<byte> keys, Span<byte> payload, [NotNullWhen(false)] out SphinxError? error)
    {
        if (!Lioness.Decrypt(RoutingKeys.PayloadKey(keys), payload))
        {
            error = new SphinxError(SphinxErrorKind.InvalidPayload, "error while unwrapping payload - block size error");
            return false;
        }
        error = null;
        return true;
    }
}
