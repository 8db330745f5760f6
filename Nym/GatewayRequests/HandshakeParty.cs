using NymGateway.Nym.Keys;

namespace NymGateway.Nym.GatewayRequests;

/// <summary>
/// What client and gateway do alike in the registration handshake: an ephemeral x25519 key,
/// shared keys from HKDF-BLAKE3 over the DH value, and key material =
/// AES-CTR(zero IV, ed25519 signature over own ephemeral || remote ephemeral).
/// </summary>
public abstract class HandshakeParty
{
    private protected HandshakeParty(IdentityKeyPair identity, ReadOnlySpan<byte> ephemeralSecret)
    {
        Identity = identity;
        Ephemeral = ephemeralSecret.IsEmpty ? EncryptionKeyPair.Generate() : EncryptionKeyPair.FromSecret(ephemeralSecret);
    }

    public const int KeyMaterialSize = IdentityPublicKey.SignatureSize;

    protected IdentityKeyPair Identity { get; }
    public EncryptionKeyPair Ephemeral { get; }
    public SharedKeys? Keys { get; private set; }

    protected void DeriveSharedKeys(ReadOnlySpan<byte> remoteEphemeral)
    {
        Span<byte> dh = stackalloc byte[32];
        Ephemeral.DiffieHellman(remoteEphemeral, dh);
        Keys = SharedKeys.Derive(dh);
        dh.Clear();
    }

    protected byte[] KeyMaterial(ReadOnlySpan<byte> remoteEphemeral)
    {
        var message = new byte[64];
        Ephemeral.PublicKey.CopyTo(message, 0);
        remoteEphemeral.CopyTo(message.AsSpan(32));
        var material = Identity.Sign(message);
        Keys!.Encrypt(stackalloc byte[16], material);
        return material;
    }

    protected HandshakeError? VerifyKeyMaterial(IdentityPublicKey remoteIdentity, ReadOnlySpan<byte> material, ReadOnlySpan<byte> remoteEphemeral)
    {
        if (material.Length != KeyMaterialSize)
        {
            return new HandshakeError(HandshakeErrorKind.KeyMaterialOfInvalidSize, Size: material.Length);
        }
        var signature = material.ToArray();
        Keys!.Encrypt(stackalloc byte[16], signature);
        var signed = new byte[64];
        remoteEphemeral.CopyTo(signed);
        Ephemeral.PublicKey.CopyTo(signed, 32);
        return remoteIdentity.Verify(signed, signature) ? null : new HandshakeError(HandshakeErrorKind.InvalidSignature);
    }

    protected static string Payload(byte[] data) => GatewayJson.Serialize(new HandshakeMessage.Payload(data));
}
