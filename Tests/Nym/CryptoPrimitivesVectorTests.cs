using NymGateway.Nym.Crypto;
using NymGateway.Nym.Keys;
using Xunit;

namespace NymGateway.Tests.Nym;

[Trait("Category", "Vectors")]
public sealed class CryptoPrimitivesVectorTests
{
    private static readonly VectorFile File = VectorFile.Load("crypto_primitives");

    [Fact]
    public void Hkdf_blake3_matches()
    {
        foreach (var c in File.Cases)
        {
            var okm = new byte[32];
            Blake3Mac.Hkdf(c.Hex("hkdf_blake3_ikm"), default, default, okm);
            Assert.Equal(c.Hex("hkdf_blake3_okm_32_no_salt_no_info"), okm);

            var withInfo = new byte[c.GetProperty("hkdf_blake3_okm_len").GetInt32()];
            Blake3Mac.Hkdf(c.Hex("hkdf_blake3_ikm"), c.Hex("hkdf_blake3_salt"), c.Hex("hkdf_blake3_info"), withInfo);
            Assert.Equal(c.Hex("hkdf_blake3_okm_with_salt_info"), withInfo);
        }
    }

    [Fact]
    public void Hmac_blake3_matches()
    {
        foreach (var c in File.Cases)
        {
            var data = c.Hex("hmac_blake3_data");
            var tag = new byte[32];
            Blake3Mac.Compute(c.Hex("hmac_blake3_key"), data, tag);
            Assert.Equal(c.Hex("hmac_blake3_tag"), tag);
            Assert.True(Blake3Mac.Verify(c.Hex("hmac_blake3_key"), data, tag));
            Assert.Equal(c.Hex("blake3_hash_of_data"), Blake3.Hasher.Hash(data).AsSpan().ToArray());
        }
    }

    [Fact]
    public void Aes128_ctr_matches()
    {
        foreach (var c in File.Cases)
        {
            var data = c.Hex("aes128ctr_plaintext");
            Aes128Ctr.Apply(c.Hex("aes128ctr_key"), c.Hex("aes128ctr_iv"), data);
            Assert.Equal(c.Hex("aes128ctr_ciphertext"), data);
        }
    }

    [Fact]
    public void Ed25519_signatures_match()
    {
        foreach (var c in File.Cases)
        {
            using var key = IdentityKeyPair.FromSecret(c.Hex("ed25519_secret"));
            Assert.Equal(c.Hex("ed25519_public"), key.PublicKey.Bytes.ToArray());
            var signature = key.Sign(c.Hex("ed25519_message"));
            Assert.Equal(c.Hex("ed25519_signature"), signature);
            Assert.True(key.PublicKey.Verify(c.Hex("ed25519_message"), signature));
        }
    }
}
