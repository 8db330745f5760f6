using System.Buffers.Binary;
using System.Security.Cryptography;
using NymGateway.Nym.Crypto;

namespace NymGateway.Nym.Sphinx;

/// <summary>
/// Creates Sphinx packets as <c>SphinxPacketBuilder::build_packet</c> does: header with filler and
/// per-hop MACs, payload wrapped in one Lioness layer per hop. Clients and test mix nodes use it;
/// the gateway itself only processes packets.
/// </summary>
public static class SphinxPacketBuilder
{
    /// <param name="initialSecret">32 raw bytes of the ephemeral secret; clamped as the crate does. Random when null.</param>
    /// <param name="fillRandom">Source of the final hop's random routing padding; the system RNG when null.</param>
    public static bool TryBuild(
        ReadOnlySpan<byte> message,
        IReadOnlyList<RouteNode> route,
        SphinxDestination destination,
        IReadOnlyList<ulong> delays,
        int payloadSize,
        out byte[] packet,
        out SphinxError? error,
        ReadOnlySpan<byte> initialSecret = default,
        Action<Span<byte>>? fillRandom = null)
    {
        packet = [];
        if (route.Count is 0 or > SphinxConstants.MaxPathLength)
        {
            error = new SphinxError(SphinxErrorKind.InvalidRouting, $"a route has 1 to {SphinxConstants.MaxPathLength} hops, got {route.Count}");
            return false;
        }
        if (delays.Count != route.Count)
        {
            error = new SphinxError(SphinxErrorKind.InvalidRouting, "there must be one delay per hop");
            return false;
        }

        if (payloadSize < 0)
        {
            error = new SphinxError(SphinxErrorKind.InvalidPayload, "negative payload size");
            return false;
        }
        var payload = new byte[payloadSize];
        if (!SphinxPayload.TryEncode(message, payload, out error))
        {
            return false;
        }

        Span<byte> secret = stackalloc byte[32];
        if (initialSecret.IsEmpty)
        {
            RandomNumberGenerator.Fill(secret);
        }
        else
        {
            initialSecret[..32].CopyTo(secret);
        }
        Scalar25519.Clamp(secret);

        var material = KeyMaterial.Derive(route, secret);
        CryptographicOperations.ZeroMemory(secret);

        for (int i = route.Count - 1; i >= 0; i--)
        {
            if (!Lioness.Encrypt(RoutingKeys.PayloadKey(material.RoutingKeys[i]), payload))
            {
                error = new SphinxError(SphinxErrorKind.InvalidPayload, "error while encrypting payload - block size error");
                return false;
            }
        }

        packet = new byte[SphinxConstants.HeaderSize + payload.Length];
        material.InitialSharedSecret.CopyTo(packet, 0);
        BuildRoutingInformation(route, destination, delays, material.RoutingKeys, fillRandom ?? RandomNumberGenerator.Fill,
            packet.AsSpan(SphinxConstants.GroupElementSize, SphinxConstants.MacSize + SphinxConstants.EncryptedRoutingInfoSize));
        payload.CopyTo(packet, SphinxConstants.HeaderSize);
        error = null;
        return true;
    }

    /// <summary>Writes MAC0 || beta0 (316 bytes) for the whole route.</summary>
    private static void BuildRoutingInformation(
        IReadOnlyList<RouteNode> route, SphinxDestination destination, IReadOnlyList<ulong> delays,
        byte[][] keys, Action<Span<byte>> fillRandom, Span<byte> macAndBeta)
    {
        int n = route.Count;
        const int beta = SphinxConstants.EncryptedRoutingInfoSize;
        var mac = macAndBeta[..SphinxConstants.MacSize];
        var routing = macAndBeta[SphinxConstants.MacSize..];
        Span<byte> keystream = stackalloc byte[SphinxConstants.StreamCipherOutputLength];

        // Final hop: flag || version || destination || identifier || random padding, encrypted,
        // then the filler, which is what the earlier hops' decryptions will have appended.
        int finalLength = beta - SphinxConstants.HopStep * (n - 1);
        var final = routing[..finalLength];
        final[0] = SphinxConstants.FinalHopFlag;
        SphinxConstants.Version.CopyTo(final[1..]);
        destination.Address.CopyTo(final[4..]);
        destination.Identifier.CopyTo(final[(4 + SphinxConstants.DestinationAddressLength)..]);
        fillRandom(final[SphinxConstants.FinalNodeMetaInfoLength..]);
        Aes128Ctr.Keystream(RoutingKeys.StreamCipherKey(keys[n - 1]), keystream);
        Xor(final, keystream[..finalLength]);
        WriteFiller(keys, n - 1, routing[finalLength..]);
        RoutingKeys.ComputeHeaderMac(RoutingKeys.MacKey(keys[n - 1]), routing, mac);

        // Earlier hops, from the inside out: flag || version || next address || delay || next MAC || truncated next beta.
        Span<byte> layer = stackalloc byte[beta];
        for (int i = n - 2; i >= 0; i--)
        {
            layer[0] = SphinxConstants.ForwardHopFlag;
            SphinxConstants.Version.CopyTo(layer[1..]);
            route[i + 1].Address.CopyTo(layer[4..]);
            BinaryPrimitives.WriteUInt64BigEndian(layer[36..], delays[i]);
            mac.CopyTo(layer[44..]);
            routing[..SphinxConstants.TruncatedRoutingInfoSize].CopyTo(layer[60..]);
            Aes128Ctr.Keystream(RoutingKeys.StreamCipherKey(keys[i]), keystream);
            Xor(layer, keystream[..beta]);
            layer.CopyTo(routing);
            RoutingKeys.ComputeHeaderMac(RoutingKeys.MacKey(keys[i]), routing, mac);
        }
    }

    /// <summary>Filler::new over the first <paramref name="hops"/> hops' stream keys.</summary>
    private static void WriteFiller(byte[][] keys, int hops, Span<byte> filler)
    {
        Span<byte> keystream = stackalloc byte[SphinxConstants.StreamCipherOutputLength];
        filler.Clear();
        for (int i = 1; i <= hops; i++)
        {
            Aes128Ctr.Keystream(RoutingKeys.StreamCipherKey(keys[i - 1]), keystream);
            int length = i * SphinxConstants.HopStep;
            Xor(filler[..length], keystream[(keystream.Length - length)..]);
        }
    }

    private static void Xor(Span<byte> target, ReadOnlySpan<byte> other)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] ^= other[i];
        }
    }
}
