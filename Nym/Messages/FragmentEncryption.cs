using NymGateway.Nym.Crypto;
using NymGateway.Nym.Keys;

namespace NymGateway.Nym.Messages;

/// <summary>
/// How 0.9.2 hides a fragment from everyone but its recipient: a fresh x25519 key pair,
/// HKDF-BLAKE3(DH with the recipient's encryption key) to an AES-128-CTR key, zero IV;
/// the packet carries ephemeral public key (32) || encrypted fragment.
/// </summary>
public static class FragmentEncryption
{
    public const int Overhead = EncryptionKeyPair.Size;

    public static byte[] Encrypt(ReadOnlySpan<byte> fragment, ReadOnlySpan<byte> recipientEncryptionKey)
    {
        var ephemeral = EncryptionKeyPair.Generate();
        var output = new byte[Overhead + fragment.Length];
        ephemeral.PublicKey.CopyTo(output, 0);
        fragment.CopyTo(output.AsSpan(Overhead));
        Apply(ephemeral, recipientEncryptionKey, output.AsSpan(Overhead));
        return output;
    }

    /// <summary>MessageReceiver::recover_plaintext; false when too short for the ephemeral key.</summary>
    public static bool TryDecrypt(ReadOnlySpan<byte> data, EncryptionKeyPair local, out byte[] fragment)
    {
        fragment = [];
        if (data.Length < Overhead)
        {
            return false;
        }
        fragment = data[Overhead..].ToArray();
        Apply(local, data[..Overhead], fragment);
        return true;
    }

    private static void Apply(EncryptionKeyPair local, ReadOnlySpan<byte> remotePublic, Span<byte> data)
    {
        Span<byte> shared = stackalloc byte[X25519.KeySize];
        local.DiffieHellman(remotePublic, shared);
        Span<byte> key = stackalloc byte[Aes128Ctr.KeySize];
        Blake3Mac.Hkdf(shared, default, default, key);
        Aes128Ctr.Apply(key, stackalloc byte[Aes128Ctr.IvSize], data);
        shared.Clear();
        key.Clear();
    }
}
