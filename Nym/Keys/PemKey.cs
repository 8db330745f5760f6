using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace NymGateway.Nym.Keys;

/// <summary>
/// The PEM files Nym's pemstore writes through the pem 0.7 crate: base64 wrapped at 64
/// characters (as RFC 7468, which <see cref="PemEncoding"/> implements) but CRLF line ends.
/// </summary>
public static class PemKey
{
    public const string IdentityPrivateTag = "ED25519 PRIVATE KEY";
    public const string IdentityPublicTag = "ED25519 PUBLIC KEY";
    public const string EncryptionPrivateTag = "X25519 PRIVATE KEY";
    public const string EncryptionPublicTag = "X25519 PUBLIC KEY";

    public static string Encode(string tag, ReadOnlySpan<byte> contents)
    {
        var pem = PemEncoding.WriteString(tag, contents).Replace("\n", "\r\n", StringComparison.Ordinal);
        // pem 0.7 writes an empty line for empty contents where RFC 7468 writes none.
        return contents.IsEmpty ? pem.Replace("-----\r\n-----END", "-----\r\n\r\n-----END", StringComparison.Ordinal) + "\r\n" : pem + "\r\n";
    }

    /// <summary>Parses the first PEM block, checks its tag and its size; errors say what is wrong.</summary>
    public static bool TryDecode(string pem, string expectedTag, int expectedLength, out byte[] contents, [NotNullWhen(false)] out string? error)
    {
        contents = [];
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            error = "malformed PEM: no complete BEGIN/END block with base64 contents";
            return false;
        }
        if (!pem.AsSpan()[fields.Label].SequenceEqual(expectedTag))
        {
            error = "unexpected key pem tag";
            return false;
        }
        var decoded = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], decoded, out int written) || written != expectedLength)
        {
            error = $"key of invalid length {written}, expected {expectedLength}";
            return false;
        }
        contents = decoded;
        error = null;
        return true;
    }
}
