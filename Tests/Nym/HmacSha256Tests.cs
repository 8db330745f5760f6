using System.Security.Cryptography;
using NymGateway.Nym.Crypto;
using Xunit;

namespace NymGateway.Tests.Nym;

/// <summary>
/// HMAC- and HKDF-SHA256 on libcrypto's compression function give .NET's bytes for every
/// message length around the block and padding edges, short and long keys, and long outputs.
/// </summary>
[Trait("Category", "Unit")]
public sealed class HmacSha256Tests
{
    [Fact]
    public void The_block_function_is_used_here()
    {
        // The CI and benchmark machines are Linux with OpenSSL; without it the fast path is untested.
        Assert.True(Sha256Blocks.IsSupported);
    }

    [Fact]
    public void Hmac_matches_dotnet_for_every_length_and_key_size()
    {
        var random = new Random(5);
        foreach (int keyLength in new[] { 0, 16, 32, 63, 64, 65, 200 })
        {
            var key = new byte[keyLength];
            random.NextBytes(key);
            for (int length = 0; length <= 3 * 64 + 1; length++)
            {
                var data = new byte[length];
                random.NextBytes(data);
                var tag = new byte[32];
                HmacSha256.Compute(key, data, tag);
                Assert.Equal(HMACSHA256.HashData(key, data), tag);
            }
        }
        var header = new byte[300];
        random.NextBytes(header);
        var headerTag = new byte[32];
        HmacSha256.Compute(header.AsSpan(0, 16), header, headerTag);
        Assert.Equal(HMACSHA256.HashData(header.AsSpan(0, 16), header), headerTag);
    }

    [Fact]
    public void Hkdf_matches_dotnet_for_any_output_length_and_info()
    {
        var random = new Random(6);
        foreach (int infoLength in new[] { 0, 1, 31, 97, 150 })
        {
            var ikm = new byte[32];
            var info = new byte[infoLength];
            random.NextBytes(ikm);
            random.NextBytes(info);
            foreach (int length in new[] { 1, 16, 32, 33, 256, 288, 1000 })
            {
                var okm = new byte[length];
                HmacSha256.Hkdf(ikm, info, okm);
                Assert.Equal(HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, length, default, info), okm);
            }
        }
    }
}
