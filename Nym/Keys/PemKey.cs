using System.Text;

namespace NymGateway.Nym.Keys;

/// <summary>
/// The PEM files Nym's pemstore writes through the pem 0.7 crate: CRLF line ends and base64
/// wrapped at 64 characters, with these tags.
/// </summary>
public static class PemKey
{
    public const string IdentityPrivateTag = "ED25519 PRIVATE KEY";
    public const string IdentityPublicTag = "ED25519 PUBLIC KEY";
    public const string EncryptionPrivateTag = "X25519 PRIVATE KEY";
    public const string EncryptionPublicTag = "X25519 PUBLIC KEY";
    public const string SharedKeysTag = "AES-128-CTR + HMAC-BLAKE3 GATEWAY SHARED KEYS";

    public static string Encode(string tag, ReadOnlySpan<byte> contents)
    {
        var base64 = Convert.ToBase64String(contents);
        var text = new StringBuilder();
        text.Append("-----BEGIN ").Append(tag).Append("-----\r\n");
        for (int i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64.AsSpan(i, Math.Min(64, base64.Length - i))).Append("\r\n");
        }
        if (base64.Length == 0)
        {
            text.Append("\r\n");
        }
        text.Append("-----END ").Append(tag).Append("-----\r\n");
        return text.ToString();
    }

    /// <summary>Parses one PEM block, checks its tag and its size; errors say what is wrong.</summary>
    public static bool TryDecode(string pem, string expectedTag, int expectedLength, out byte[] contents, out string? error)
    {
        contents = [];
        var begin = pem.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        if (begin < 0)
        {
            error = "malformed PEM: no BEGIN line";
            return false;
        }
        int tagStart = begin + "-----BEGIN ".Length;
        int tagEnd = pem.IndexOf("-----", tagStart, StringComparison.Ordinal);
        if (tagEnd < 0)
        {
            error = "malformed PEM: unterminated BEGIN line";
            return false;
        }
        var tag = pem[tagStart..tagEnd];
        var endMarker = $"-----END {tag}-----";
        int end = pem.IndexOf(endMarker, tagEnd, StringComparison.Ordinal);
        if (end < 0)
        {
            error = $"malformed PEM: no END line for {tag}";
            return false;
        }
        if (tag != expectedTag)
        {
            error = "unexpected key pem tag";
            return false;
        }
        var body = pem[(tagEnd + 5)..end].Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();
        try
        {
            contents = Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            error = "malformed PEM: invalid base64";
            return false;
        }
        if (contents.Length != expectedLength)
        {
            error = $"key of invalid length {contents.Length}, expected {expectedLength}";
            contents = [];
            return false;
        }
        error = null;
        return true;
    }
}
