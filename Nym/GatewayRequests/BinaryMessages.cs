using System.Diagnostics.CodeAnalysis;
using NymGateway.Nym.Forwarding;

namespace NymGateway.Nym.GatewayRequests;

/// <summary>
/// The binary websocket frames: a client's ForwardSphinx request and the gateway's pushed
/// mix messages, both MAC(32) || AES-128-CTR(zero IV, content) under the shared keys.
/// </summary>
public static class BinaryMessages
{
    /// <summary>BinaryRequest::try_from_encrypted_tagged_bytes. Decrypts in place.</summary>
    public static bool TryOpenForwardSphinx(SharedKeys keys, Span<byte> request, out MixPacket packet, [NotNullWhen(false)] out GatewayRequestsError? error)
    {
        packet = null!;
        error = keys.VerifyAndDecrypt(request, out var plaintext);
        if (error is not null)
        {
            return false;
        }
        if (!MixPacket.TryParse(plaintext, out packet, out var mixError))
        {
            error = new GatewayRequestsError(GatewayRequestsErrorKind.InvalidMixPacket, mixError);
            return false;
        }
        return true;
    }

    /// <summary>BinaryRequest::into_encrypted_tagged_bytes.</summary>
    public static byte[] SealForwardSphinx(SharedKeys keys, MixPacket packet) => keys.EncryptAndTag(packet.ToBytes());

    /// <summary>BinaryResponse::PushedMixMessage into bytes, written to <paramref name="output"/> (message length + 32).</summary>
    public static void SealPushedMessage(SharedKeys keys, ReadOnlySpan<byte> message, Span<byte> output) =>
        keys.EncryptAndTag(message, output);

    /// <summary>BinaryResponse::try_from_encrypted_tagged_bytes. Decrypts in place.</summary>
    public static bool TryOpenPushedMessage(SharedKeys keys, Span<byte> response, out Span<byte> message, [NotNullWhen(false)] out GatewayRequestsError? error)
    {
        error = keys.VerifyAndDecrypt(response, out message);
        return error is null;
    }
}
