using NymGateway.Nym.Crypto;

namespace NymGateway.Nym.Sphinx;

/// <summary>
/// The sender's side of the key schedule (<c>KeyMaterial::derive</c>): alpha0 = g^x and each
/// hop's routing keys from (pub_i)^(x * b0 * ... * b_{i-1}), the blinding factors reduced mod l.
/// </summary>
public sealed class KeyMaterial
{
    private KeyMaterial(byte[] initialSharedSecret, byte[][] routingKeys)
    {
        InitialSharedSecret = initialSharedSecret;
        RoutingKeys = routingKeys;
    }

    /// <summary>alpha0, the group element sent in the first header.</summary>
    public byte[] InitialSharedSecret { get; }

    /// <summary>One 256-byte key block per hop; see <see cref="Sphinx.RoutingKeys"/> for the layout.</summary>
    public byte[][] RoutingKeys { get; }

    /// <param name="initialSecret">The clamped ephemeral scalar x.</param>
    public static KeyMaterial Derive(IReadOnlyList<RouteNode> route, ReadOnlySpan<byte> initialSecret)
    {
        var alpha0 = new byte[32];
        X25519.MultiplyBaseUnclamped(initialSecret, alpha0);

        var keys = new byte[route.Count][];
        Span<byte> accumulator = stackalloc byte[32];
        Span<byte> shared = stackalloc byte[32];
        Span<byte> blinding = stackalloc byte[32];
        initialSecret[..32].CopyTo(accumulator);
        for (int i = 0; i < route.Count; i++)
        {
            X25519.MultiplyUnclamped(accumulator, route[i].PublicKey, shared);
            keys[i] = new byte[SphinxConstants.RoutingKeysLength];
            Sphinx.RoutingKeys.Derive(shared, keys[i]);
            Scalar25519.ReduceFromBytes(Sphinx.RoutingKeys.BlindingFactor(keys[i]), blinding);
            Scalar25519.Multiply(accumulator, blinding, accumulator);
        }
        accumulator.Clear();
        shared.Clear();
        return new KeyMaterial(alpha0, keys);
    }
}
