using System.Runtime.Intrinsics.X86;
using NymGateway.Nym.Crypto;
using Xunit;

namespace NymGateway.Tests.Nym;

/// <summary>
/// The sixteen-lane AVX-512 ChaCha20 gives libsodium's keystream: every length over a few
/// chunks (whole, partial, one byte past), nonces, and a block counter whose low word wraps.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ChaCha20Tests
{
    [Fact]
    public void Wide_keystream_matches_libsodium()
    {
        Assert.True(Avx512F.IsSupported, "the benchmark and CI machines have AVX-512; without it only libsodium runs");
        var random = new Random(9);
        var key = new byte[ChaCha20.KeySize];
        var nonce = new byte[ChaCha20.NonceSize];
        for (int length = 1; length <= 3 * 1024 + 65; length += length < 1100 ? 1 : 37)
        {
            random.NextBytes(key);
            if (length % 2 == 0)
            {
                random.NextBytes(nonce);
            }
            var data = new byte[length];
            random.NextBytes(data);
            var expected = data.ToArray();
            ChaCha20.XorSodium(key, nonce, 0, expected);
            ChaCha20.XorWide(key, nonce, 0, data);
            Assert.Equal(expected, data);
        }
    }

    [Fact]
    public void The_counter_carries_into_its_high_word_as_libsodium_does()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var nonce = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var data = new byte[40 * 64];
        var expected = new byte[data.Length];
        const ulong counter = uint.MaxValue - 20;
        ChaCha20.XorSodium(key, nonce, counter, expected);
        ChaCha20.XorWide(key, nonce, counter, data);
        Assert.Equal(expected, data);
    }
}
