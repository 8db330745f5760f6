using NymGateway.Nym.Keys;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>Reads the keys `init` wrote into <c>$HOME/.nym/gateways/ID/data/</c>, as a test needs them to talk to that gateway.</summary>
public sealed class GatewayFolder(string home, string id)
{
    public string DataDirectory => Path.Combine(home, ".nym", "gateways", id, "data");

    public IdentityPublicKey Identity
    {
        get
        {
            Assert.True(IdentityPublicKey.TryFromBytes(Read("public_identity.pem", PemKey.IdentityPublicTag), out var key, out _));
            return key;
        }
    }

    public byte[] SphinxKey => Read("public_sphinx.pem", PemKey.EncryptionPublicTag);

    public byte[] PrivateIdentityKey => Read("private_identity.pem", PemKey.IdentityPrivateTag);

    public byte[] PrivateSphinxKey => Read("private_sphinx.pem", PemKey.EncryptionPrivateTag);

    private byte[] Read(string file, string tag)
    {
        Assert.True(PemKey.TryDecode(File.ReadAllText(Path.Combine(DataDirectory, file)), tag, 32, out var bytes, out var error), error);
        return bytes;
    }
}
