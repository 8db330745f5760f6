using NymGateway.Nym.Crypto;

namespace NymGateway.Nym.Sphinx;

/// <summary>
/// The per-hop keys HKDF-SHA256 expands from one shared secret, laid out in one 256-byte span:
/// stream cipher key (16) || header MAC key (16) || payload key (192) || blinding factor (32),
/// and on a processing node the replay tag (32) right after them: HKDF output is a prefix of
/// any longer output, so the tag extends the 0.9.2 block without changing a key (the layout of
/// nymtech/sphinx's replay_tag work, whose tag is the 32 bytes after the blinding factor).
/// </summary>
public static class RoutingKeys
{
    public const int StreamCipherKeyOffset = 0;
    public const int MacKeyOffset = StreamCipherKeyOffset + SphinxConstants.StreamCipherKeySize;
    public const int PayloadKeyOffset = MacKeyOffset + SphinxConstants.MacKeySize;
    public const int BlindingFactorOffset = PayloadKeyOffset + SphinxConstants.PayloadKeySize;

    public const int ReplayTagOffset = SphinxConstants.RoutingKeysLength;

    /// <param name="keys"><see cref="SphinxConstants.RoutingKeysLength"/> bytes, or <see cref="SphinxConstants.ExpandedSecretLength"/> for the replay tag too.</param>
    public static void Derive(ReadOnlySpan<byte> sharedSecret, Span<byte> keys) =>
        HmacSha256.Hkdf(sharedSecret, SphinxConstants.HkdfInputSeed, keys);

    public static ReadOnlySpan<byte> StreamCipherKey(ReadOnlySpan<byte> keys) => keys.Slice(StreamCipherKeyOffset, SphinxConstants.StreamCipherKeySize);
    public static ReadOnlySpan<byte> MacKey(ReadOnlySpan<byte> keys) => keys.Slice(MacKeyOffset, SphinxConstants.MacKeySize);
    public static ReadOnlySpan<byte> PayloadKey(ReadOnlySpan<byte> keys) => keys.Slice(PayloadKeyOffset, SphinxConstants.PayloadKeySize);
    public static ReadOnlySpan<byte> BlindingFactor(ReadOnlySpan<byte> keys) => keys.Slice(BlindingFactorOffset, SphinxConstants.BlindingFactorSize);
    public static ReadOnlySpan<byte> ReplayTag(ReadOnlySpan<byte> keys) => keys.Slice(ReplayTagOffset, SphinxConstants.ReplayTagSize);

    /// <summary>The header integrity MAC: HMAC-SHA256 truncated to 16 bytes.</summary>
    public static void ComputeHeaderMac(ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> routingInfo, Span<byte> mac)
    {
        Span<byte> full = stackalloc byte[32];
        HmacSha256.Compute(macKey, routingInfo, full);
        full[..SphinxConstants.MacSize].CopyTo(mac);
    }
}
