using NymGateway.EdgeHost;
using NymGateway.Nym.Keys;

namespace NymGateway.Cli.Config;

/// <summary>The gateway's PEM key files, in 0.9.2's format and places.</summary>
public static class GatewayKeyFiles
{
    /// <summary>Writes fresh identity and sphinx key pairs (public first, as pemstore does).</summary>
    public static void Create(GatewayConfig c)
    {
        using var identity = IdentityKeyPair.Generate();
        var sphinx = EncryptionKeyPair.Generate();
        var g = c.Gateway;
        Write(c.Resolve(g.PublicSphinxKeyFile), PemKey.EncryptionPublicTag, sphinx.PublicKey, secret: false);
        Write(c.Resolve(g.PrivateSphinxKeyFile), PemKey.EncryptionPrivateTag, sphinx.Secret, secret: true);
        Write(c.Resolve(g.PublicIdentityKeyFile), PemKey.IdentityPublicTag, identity.PublicKey.Bytes, secret: false);
        Write(c.Resolve(g.PrivateIdentityKeyFile), PemKey.IdentityPrivateTag, identity.Secret, secret: true);
    }

    /// <summary>Whether the private identity key exists (init keeps existing keys).</summary>
    public static bool Exist(GatewayConfig c) => File.Exists(c.Resolve(c.Gateway.PrivateIdentityKeyFile));

    /// <summary>Loads both key pairs; the error names the file and what is wrong with it.</summary>
    public static GatewayIdentity Load(GatewayConfig c)
    {
        var g = c.Gateway;
        var identitySecret = Read(c.Resolve(g.PrivateIdentityKeyFile), PemKey.IdentityPrivateTag);
        var identityPublic = Read(c.Resolve(g.PublicIdentityKeyFile), PemKey.IdentityPublicTag);
        var sphinxSecret = Read(c.Resolve(g.PrivateSphinxKeyFile), PemKey.EncryptionPrivateTag);
        var sphinxPublic = Read(c.Resolve(g.PublicSphinxKeyFile), PemKey.EncryptionPublicTag);

        var identity = IdentityKeyPair.FromSecret(identitySecret);
        var sphinx = EncryptionKeyPair.FromSecret(sphinxSecret);
        if (!identity.PublicKey.Bytes.SequenceEqual(identityPublic))
        {
            throw new InvalidDataException($"{c.Resolve(g.PublicIdentityKeyFile)} does not belong to {c.Resolve(g.PrivateIdentityKeyFile)}");
        }
        if (!sphinx.PublicKey.AsSpan().SequenceEqual(sphinxPublic))
        {
            throw new InvalidDataException($"{c.Resolve(g.PublicSphinxKeyFile)} does not belong to {c.Resolve(g.PrivateSphinxKeyFile)}");
        }
        return new GatewayIdentity(identity, sphinx);
    }

    private static void Write(string path, string tag, ReadOnlySpan<byte> key, bool secret) => SecretFile.Write(path, PemKey.Encode(tag, key), secret);

    private static byte[] Read(string path, string tag)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Failed to read stored key file {path}: it does not exist", path);
        }
        if (!PemKey.TryDecode(File.ReadAllText(path), tag, 32, out var key, out var error))
        {
            throw new InvalidDataException($"Failed to read stored key file {path}: {error}");
        }
        return key;
    }
}
