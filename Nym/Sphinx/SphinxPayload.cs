using System.Diagnostics.CodeAnalysis;
namespace NymGateway.Nym.Sphinx;

/// <summary>The plaintext framing inside a Sphinx payload: 16 zero bytes, message, 0x01, zero padding.</summary>
public static class SphinxPayload
{
    /// <summary>Payload::recover_plaintext: the range of the message inside an unwrapped payload.</summary>
    public static bool TryRecoverPlaintext(ReadOnlySpan<byte> payload, out Range message, [NotNullWhen(false)] out SphinxError? error)
    {
        message = default;
        if (payload.Length < SphinxConstants.PayloadOverheadSize)
        {
            error = new SphinxError(SphinxErrorKind.InvalidPayload, "too short payload provided");
            return false;
        }
        if (payload[..SphinxConstants.SecurityParameter].ContainsAnyExcept((byte)0))
        {
            error = new SphinxError(SphinxErrorKind.InvalidPayload, "malformed payload - no leading zero padding present");
            return false;
        }
        int end = payload[SphinxConstants.SecurityParameter..].LastIndexOf((byte)1);
        if (end < 0)
        {
            error = new SphinxError(SphinxErrorKind.InvalidPayload, "malformed payload - invalid trailing padding");
            return false;
        }
        message = new Range(SphinxConstants.SecurityParameter, SphinxConstants.SecurityParameter + end);
        error = null;
        return true;
    }

    /// <summary>Payload::set_final_payload, after the crate's size checks.</summary>
    public static bool TryEncode(ReadOnlySpan<byte> message, Span<byte> payload, [NotNullWhen(false)] out SphinxError? error)
    {
        if (payload.Length < SphinxConstants.PayloadOverheadSize)
        {
            error = new SphinxError(SphinxErrorKind.InvalidPayload, "specified payload_size is smaller than the required overhead");
            return false;
        }
        if (payload.Length < 32)
        {
            error = new SphinxError(SphinxErrorKind.InvalidPayload, "specified payload_size is smaller lioness block size");
            return false;
        }
        int maximum = payload.Length - SphinxConstants.PayloadOverheadSize;
        if (message.Length > maximum)
        {
            error = new SphinxError(SphinxErrorKind.InvalidPayload,
                $"too long message provided. Message was: {message.Length}B long, maximum_plaintext_length is: {maximum}B");
            return false;
        }
        payload.Clear();
        message.CopyTo(payload[SphinxConstants.SecurityParameter..]);
        payload[SphinxConstants.SecurityParameter + message.Length] = 1;
        error = null;
        return true;
    }
}
