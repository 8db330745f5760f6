using NymGateway.Nym.Keys;

namespace NymGateway.Fleet;

/// <summary>Reads the keys `init` wrote into <c>$HOME/.nym/gateways/ID/data/</c>, as a test needs them to talk to that gateway.</summary>
public sealed class GatewayFolder(string home, string id)
{
    public string DataDirectory => Path.Combine(home, ".nym", "gateways", id, "data");

    public IdentityPublicKey Identity =>
        IdentityPublicKey.TryFromBytes(Read("public_identity.pem", PemKey.IdentityPublicTag), out var key, out var error)
            ? key
            : throw new InvalidDataException($"public_identity.pem: {error}");

    public byte[] SphinxKey => Read("public_sphinx.pem", PemKey.EncryptionPublicTag);

    public byte[] PrivateIdentityKey => Read("private_identity.pem", PemKey.IdentityPrivateTag);

    public byte[] PrivateSphinxKey => Read("private_sphinx.pem", PemKey.EncryptionPrivateTag);

    private byte[] Read(string file, string tag) =>
        PemKey.TryDecode(File.ReadAllText(Path.Combine(DataDirectory, file)), tag, 32, out var bytes, out var error)
            ? bytes
            : throw new InvalidDataException($"{file}: {error}");
}
