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
        if (!CheckLengths(packet, output, out error))
        {
            return false;
        }
        Span<byte> keys = stackalloc byte[SphinxConstants.ExpandedSecretLength];
        try
        {
            Span<byte> shared = stackalloc byte[X25519.KeySize];
            X25519.SharedSecret(_privateKey, packet[..SphinxConstants.GroupElementSize], shared);
            RoutingKeys.Derive(shared, keys);
            CryptographicOperations.ZeroMemory(shared);

            Span<byte> headerMac = stackalloc byte[SphinxConstants.MacSize];
            RoutingKeys.ComputeHeaderMac(RoutingKeys.MacKey(keys), Beta(packet), headerMac);
            if (!TryOpenHeader(packet, keys, headerMac, output, ref hop, out int payloadAt, out error))
            {
                return false;
            }
            var payload = output.Slice(payloadAt, packet.Length - SphinxConstants.HeaderSize);
            if (!Lioness.Decrypt(RoutingKeys.PayloadKey(keys), payload))
            {
                error = PayloadSizeError;
                return false;
            }
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    /// <summary>Most packets <see cref="ProcessBatch"/> takes at once: one per HKDF lane.</summary>
    public const int BatchSize = HmacSha256Lanes.Lanes;

    // Fewer lanes than these cost more than one at a time: a pass costs the same however many
    // lanes it fills (docs/final-hop.md: a 16-lane HKDF pass costs about 4 single ones, a MAC pass 6, an 8-lane BLAKE2b pass 2).
    private const int MinimumHkdfLanes = 5;
    private const int MinimumMacLanes = 7;
    private const int MinimumLionessLanes = 3;

    /// <summary>
    /// <see cref="TryProcess"/> on each of up to <see cref="BatchSize"/> packets, with the same
    /// outputs, hops and errors: packet <c>i</c>'s output starts in <paramref name="outputs"/>
    /// after the lengths of the packets before it, and <c>errors[i]</c> is null where it succeeded.
    /// The key schedules and the payloads' hash rounds run side by side in vector lanes.
    /// </summary>
    public void ProcessBatch(ReadOnlySpan<ReadOnlyMemory<byte>> packets, Span<byte> outputs, Span<ProcessedHop> hops, Span<SphinxError?> errors)
    {
        int count = packets.Length;
        if (count > BatchSize || hops.Length < count || errors.Length < count)
        {
            throw new ArgumentException($"a batch is at most {BatchSize} packets, with a hop and an error for each");
        }
        Span<int> outputAt = stackalloc int[BatchSize];
        Span<int> laneOf = stackalloc int[BatchSize]; // packet → its lane of the key schedule, or -1
        Span<byte> secrets = stackalloc byte[BatchSize * X25519.KeySize];
        Span<byte> keys = stackalloc byte[BatchSize * SphinxConstants.ExpandedSecretLength];
        try
        {
            int laneCount = 0;
            for (int i = 0, at = 0; i < count; at += packets[i].Length, i++)
            {
                var packet = packets[i].Span;
                hops[i] = default;
                outputAt[i] = at;
                laneOf[i] = -1;
                if (!CheckLengths(packet, outputs[Math.Min(at, outputs.Length)..], out errors[i]))
                {
                    continue;
                }
                X25519.SharedSecret(_privateKey, packet[..SphinxConstants.GroupElementSize], secrets.Slice(laneCount * X25519.KeySize, X25519.KeySize));
                laneOf[i] = laneCount++;
            }
            DeriveKeys(secrets, keys, laneCount);
            Span<byte> headerMacs = stackalloc byte[BatchSize * HmacSha256.OutputSize];
            ComputeHeaderMacs(packets, laneOf, keys, headerMacs, laneCount);

            Span<int> payloadKeys = stackalloc int[BatchSize];
            Span<int> payloadAt = stackalloc int[BatchSize];
            Span<int> payloadOf = stackalloc int[BatchSize];
            int payloads = 0;
            for (int i = 0; i < count; i++)
            {
                if (laneOf[i] < 0)
                {
                    continue;
                }
                var packetKeys = keys.Slice(laneOf[i] * SphinxConstants.ExpandedSecretLength, SphinxConstants.ExpandedSecretLength);
                var headerMac = headerMacs.Slice(laneOf[i] * HmacSha256.OutputSize, SphinxConstants.MacSize);
                if (TryOpenHeader(packets[i].Span, packetKeys, headerMac, outputs[outputAt[i]..], ref hops[i], out int at, out errors[i]))
                {
                    payloadKeys[payloads] = laneOf[i] * SphinxConstants.ExpandedSecretLength + RoutingKeys.PayloadKeyOffset;
                    payloadAt[payloads] = outputAt[i] + at;
                    payloadOf[payloads++] = i;
                }
            }
            UnwrapPayloads(packets, keys, payloadKeys[..payloads], outputs, payloadAt[..payloads], payloadOf[..payloads], errors);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secrets);
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    private static void DeriveKeys(ReadOnlySpan<byte> secrets, Span<byte> keys, int lanes)
    {
        const int length = SphinxConstants.ExpandedSecretLength;
        if (HmacSha256Lanes.IsSupported && lanes >= MinimumHkdfLanes)
        {
            HmacSha256Lanes.Hkdf(secrets, SphinxConstants.HkdfInputSeed, keys, length, length, lanes);
            return;
        }
        for (int l = 0; l < lanes; l++)
        {
            RoutingKeys.Derive(secrets.Slice(l * X25519.KeySize, X25519.KeySize), keys.Slice(l * length, length));
        }
    }

    /// <summary>The expected header MAC of each packet with a lane (its first 16 bytes count), at its lane's 32-byte place in <paramref name="macs"/>.</summary>
    private static void ComputeHeaderMacs(ReadOnlySpan<ReadOnlyMemory<byte>> packets, ReadOnlySpan<int> laneOf, ReadOnlySpan<byte> keys, Span<byte> macs, int laneCount)
    {
        const int length = SphinxConstants.ExpandedSecretLength;
        if (!HmacSha256Lanes.IsSupported || laneCount < MinimumMacLanes)
        {
            for (int i = 0; i < packets.Length; i++)
            {
                if (laneOf[i] >= 0)
                {
                    RoutingKeys.ComputeHeaderMac(RoutingKeys.MacKey(keys.Slice(laneOf[i] * length, length)), Beta(packets[i].Span),
                        macs.Slice(laneOf[i] * HmacSha256.OutputSize, SphinxConstants.MacSize));
                }
            }
            return;
        }
        Span<byte> betas = stackalloc byte[BatchSize * SphinxConstants.EncryptedRoutingInfoSize];
        Span<int> betaAt = stackalloc int[BatchSize];
        Span<int> macKeyAt = stackalloc int[BatchSize];
        for (int i = 0; i < packets.Length; i++)
        {
            if (laneOf[i] >= 0)
            {
                betaAt[laneOf[i]] = laneOf[i] * SphinxConstants.EncryptedRoutingInfoSize;
                macKeyAt[laneOf[i]] = laneOf[i] * length + RoutingKeys.MacKeyOffset;
                Beta(packets[i].Span).CopyTo(betas[betaAt[laneOf[i]]..]);
            }
        }
        HmacSha256Lanes.Compute(keys, macKeyAt[..laneCount], SphinxConstants.MacKeySize, betas, betaAt[..laneCount], SphinxConstants.EncryptedRoutingInfoSize, macs);
    }

    private static ReadOnlySpan<byte> Beta(ReadOnlySpan<byte> packet) =>
        packet.Slice(SphinxConstants.GroupElementSize + SphinxConstants.MacSize, SphinxConstants.EncryptedRoutingInfoSize);

    /// <summary>Decrypts the payloads in Lioness lanes, up to eight of one length at a time.</summary>
    private static void UnwrapPayloads(ReadOnlySpan<ReadOnlyMemory<byte>> packets, ReadOnlySpan<byte> keys, ReadOnlySpan<int> keyAt,
        Span<byte> outputs, ReadOnlySpan<int> payloadAt, ReadOnlySpan<int> packetOf, Span<SphinxError?> errors)
    {
        Span<bool> done = stackalloc bool[keyAt.Length];
        Span<int> groupKeys = stackalloc int[Blake2bLanes.Lanes];
        Span<int> groupPayloads = stackalloc int[Blake2bLanes.Lanes];
        Span<int> groupPackets = stackalloc int[Blake2bLanes.Lanes];
        for (int first = 0; first < keyAt.Length; first++)
        {
            if (done[first])
            {
                continue;
            }
            int length = packets[packetOf[first]].Length - SphinxConstants.HeaderSize;
            int lanes = 0;
            for (int p = first; p < keyAt.Length && lanes < Blake2bLanes.Lanes; p++)
            {
                if (!done[p] && packets[packetOf[p]].Length - SphinxConstants.HeaderSize == length)
                {
                    done[p] = true;
                    groupKeys[lanes] = keyAt[p];
                    groupPayloads[lanes] = payloadAt[p];
                    groupPackets[lanes++] = packetOf[p];
                }
            }
            if (length < Lioness.MinimumBlockSize)
            {
                foreach (int packet in groupPackets[..lanes])
                {
                    errors[packet] = PayloadSizeError;
                }
            }
            // Lioness refuses only blocks shorter than the length checked above.
            else if (Lioness.LanesSupported && lanes >= MinimumLionessLanes)
            {
                _ = Lioness.DecryptLanes(keys, groupKeys[..lanes], outputs, groupPayloads[..lanes], length);
            }
            else
            {
                for (int l = 0; l < lanes; l++)
                {
                    _ = Lioness.Decrypt(keys.Slice(groupKeys[l], SphinxConstants.PayloadKeySize), outputs.Slice(groupPayloads[l], length));
                }
            }
        }
    }

    private static readonly SphinxError PayloadSizeError = new(SphinxErrorKind.InvalidPayload, "error while unwrapping payload - block size error");

    private static bool CheckLengths(ReadOnlySpan<byte> packet, Span<byte> output, [NotNullWhen(false)] out SphinxError? error)
    {
        error = null;
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
        return true;
    }

    /// <summary>
    /// Checks the header MAC against <paramref name="expectedMac"/> (its first 16 bytes) and opens
    /// the routing information with the packet's keys; then writes a forward hop's next header,
    /// and copies the payload to <c>output[payloadAt..]</c> for Lioness.
    /// </summary>
    private bool TryOpenHeader(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> keys, ReadOnlySpan<byte> expectedMac, Span<byte> output,
        ref ProcessedHop hop, out int payloadAt, [NotNullWhen(false)] out SphinxError? error)
    {
        payloadAt = 0;
        var alpha = packet[..SphinxConstants.GroupElementSize];
        var mac = packet.Slice(SphinxConstants.GroupElementSize, SphinxConstants.MacSize);
        var beta = Beta(packet);
        var payload = packet[SphinxConstants.HeaderSize..];

        if (!CryptographicOperations.FixedTimeEquals(expectedMac[..SphinxConstants.MacSize], mac))
        {
            error = new SphinxError(SphinxErrorKind.InvalidHeader, "failed to verify integrity MAC");
            return false;
        }

        Span<byte> routing = stackalloc byte[SphinxConstants.StreamCipherOutputLength];
        try
        {
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
                    payloadAt = SphinxConstants.HeaderSize;
                    hop.OutputLength = packet.Length;
                    break;

                case SphinxConstants.FinalHopFlag:
                    hop.Kind = SphinxHopKind.Final;
                    hop.Address = Bytes32.From(routing[offset..]);
                    offset += SphinxConstants.DestinationAddressLength;
                    hop.Identifier = Bytes16.From(routing[offset..]);
                    hop.OutputLength = payload.Length;
                    break;

                default:
                    error = new SphinxError(SphinxErrorKind.InvalidRouting, $"tried to parse unknown routing flag: {flag}");
                    return false;
            }
            payload.CopyTo(output[payloadAt..]);
            error = null;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(routing);
        }
    }
}
