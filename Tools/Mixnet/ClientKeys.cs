using NymGateway.Nym.Acknowledgements;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;

namespace NymGateway.Mixnet;

/// <summary>
/// A client's keys in the files 0.9.2's client keeps in its data directory: identity and
/// encryption key pairs, the ack key and, once registered, the keys shared with its gateway.
/// </summary>
public sealed class ClientKeys
{
    private const string SharedKeysFile = "gateway_shared.pem";

    /// <summary>The pem type 0.9.2's client stores its gateway shared keys under.</summary>
    private const string SharedKeysTag = "AES-128-CTR + HMAC-BLAKE3 GATEWAY SHARED KEYS";

    private ClientKeys(IdentityKeyPair identity, EncryptionKeyPair encryption, AckKey ack, SharedKeys? gateway)
    {
        Identity = identity;
        Encryption = encryption;
        Ack = ack;
        GatewayKeys = gateway;
    }

    public IdentityKeyPair Identity { get; }
    public EncryptionKeyPair Encryption { get; }
    public AckKey Ack { get; }

    /// <summary>Null until the client registered with its gateway.</summary>
    public SharedKeys? GatewayKeys { get; set; }

    public static ClientKeys Generate() => new(IdentityKeyPair.Generate(), EncryptionKeyPair.Generate(), AckKey.Generate(), null);

    public static bool ExistIn(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, "private_identity.pem"));

    public static ClientKeys Load(string dataDirectory)
    {
        var identity = IdentityKeyPair.FromSecret(PemFiles.Read(dataDirectory, "private_identity.pem", PemKey.IdentityPrivateTag, 32));
        var encryption = EncryptionKeyPair.FromSecret(PemFiles.Read(dataDirectory, "private_encryption.pem", PemKey.EncryptionPrivateTag, EncryptionKeyPair.Size));
        var ack = AckKey.FromBytes(PemFiles.Read(dataDirectory, "ack_key.pem", AckKey.PemTag, AckKey.Size));
        var shared = File.Exists(Path.Combine(dataDirectory, SharedKeysFile))
            ? SharedKeys.FromBytes(PemFiles.Read(dataDirectory, SharedKeysFile, SharedKeysTag, SharedKeys.Size))
            : null;
        return new ClientKeys(identity, encryption, ack, shared);
    }

    public void Save(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        PemFiles.Write(dataDirectory, "private_identity.pem", PemKey.IdentityPrivateTag, Identity.Secret);
        PemFiles.Write(dataDirectory, "public_identity.pem", PemKey.IdentityPublicTag, Identity.PublicKey.Bytes);
        PemFiles.Write(dataDirectory, "private_encryption.pem", PemKey.EncryptionPrivateTag, Encryption.Secret);
        PemFiles.Write(dataDirectory, "public_encryption.pem", PemKey.EncryptionPublicTag, Encryption.PublicKey);
        PemFiles.Write(dataDirectory, "ack_key.pem", AckKey.PemTag, Ack.Bytes);
        if (GatewayKeys is not null)
        {
            PemFiles.Write(dataDirectory, SharedKeysFile, SharedKeysTag, GatewayKeys.Bytes);
        }
    }
}
