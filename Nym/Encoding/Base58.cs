using System.Diagnostics.CodeAnalysis;
using SimpleBase;

namespace NymGateway.Nym.Encoding;

/// <summary>Why a base58 string did not decode; mirrors bs58 0.3's decode::Error.</summary>
public sealed record Base58Error(char Character, int Index)
{
    /// <summary>bs58's Display text.</summary>
    public override string ToString() => $"provided string contained invalid character '{Character}' at byte {Index}";
}

/// <summary>Base58 with the Bitcoin alphabet, as bs58 0.3 encodes keys and addresses in Nym.</summary>
public static class Base58Text
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static string Encode(ReadOnlySpan<byte> bytes) => Base58.Bitcoin.Encode(bytes);

    public static bool TryDecode(string text, out byte[] bytes, [NotNullWhen(false)] out Base58Error? error)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!Alphabet.Contains(text[i], StringComparison.Ordinal))
            {
                bytes = [];
                // bs58 reports the byte offset of the offending character.
                error = new Base58Error(text[i], System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, i)));
                return false;
            }
        }
        bytes = Base58.Bitcoin.Decode(text);
        error = null;
        return true;
    }
}
