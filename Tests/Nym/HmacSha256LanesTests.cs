using NymGateway.Nym.Crypto;
using NymGateway.Nym.Sphinx;
using Xunit;

namespace NymGateway.Tests.Nym;

/// <summary>
/// Sixteen-lane HMAC and HKDF give the one-at-a-time HMAC's tags and HKDF's keys in every lane:
/// the Sphinx header MAC and key schedule, every lane count, key lengths up to a block, and
/// message, output and info lengths that end inside, on and past a block.
/// </summary>
[Trait("Category", "Unit")]
public sealed class HmacSha256LanesTests
{
    [Fact]
    public void Every_lane_matches_the_single_hkdf()
    {
        Assert.True(HmacSha256Lanes.IsSupported, "the benchmark and CI machines have AVX-512; without it only the single HKDF runs");
        var random = new Random(16);
        var infos = new[] { SphinxConstants.HkdfInputSeed.ToArray(), [], [7], new byte[22], new byte[23], new byte[54], new byte[55], new byte[119] };
        foreach (var info in infos)
        {
            random.NextBytes(info);
            for (int lanes = 1; lanes <= HmacSha256Lanes.Lanes; lanes++)
            {
                int keyLength = lanes == 1 ? SphinxConstants.ExpandedSecretLength : random.Next(0, 400);
                int keyStride = keyLength + lanes % 3;
                var secrets = new byte[lanes * HmacSha256Lanes.SecretSize];
                random.NextBytes(secrets);
                var keys = new byte[lanes * keyStride];

                HmacSha256Lanes.Hkdf(secrets, info, keys, keyStride, keyLength, lanes);

                for (int lane = 0; lane < lanes; lane++)
                {
                    var expected = new byte[keyLength];
                    HmacSha256.Hkdf(secrets.AsSpan(lane * HmacSha256Lanes.SecretSize, HmacSha256Lanes.SecretSize), info, expected);
                    Assert.Equal(expected, keys.AsSpan(lane * keyStride, keyLength).ToArray());
                }
            }
        }
    }

    [Fact]
    public void Every_lane_matches_the_single_hmac()
    {
        Assert.True(HmacSha256Lanes.IsSupported, "the benchmark and CI machines have AVX-512; without it only the single HMAC runs");
        var random = new Random(17);
        int[] messageLengths = [.. Enumerable.Range(0, 140), 300, 1000];
        foreach (int messageLength in messageLengths)
        {
            int lanes = 1 + messageLength % HmacSha256Lanes.Lanes;
            int keyLength = messageLength == 300 ? 16 : messageLength % 65;
            var keys = new byte[lanes * (keyLength + 1)];
            var messages = new byte[lanes * (messageLength + 5)];
            random.NextBytes(keys);
            random.NextBytes(messages);
            var keyOffsets = Enumerable.Range(0, lanes).Select(l => l * (keyLength + 1)).ToArray();
            var messageOffsets = Enumerable.Range(0, lanes).Select(l => l * (messageLength + 5)).ToArray();
            var tags = new byte[lanes * HmacSha256Lanes.TagSize];

            HmacSha256Lanes.Compute(keys, keyOffsets, keyLength, messages, messageOffsets, messageLength, tags);

            for (int lane = 0; lane < lanes; lane++)
            {
                var expected = new byte[HmacSha256.OutputSize];
                HmacSha256.Compute(keys.AsSpan(keyOffsets[lane], keyLength), messages.AsSpan(messageOffsets[lane], messageLength), expected);
                Assert.Equal(expected, tags.AsSpan(lane * HmacSha256Lanes.TagSize, HmacSha256Lanes.TagSize).ToArray());
            }
        }
    }

    [Fact]
    public void Lanes_that_do_not_fit_their_buffers_are_refused()
    {
        var secrets = new byte[2 * HmacSha256Lanes.SecretSize];
        var keys = new byte[2 * 100];
        Assert.Throws<ArgumentException>(() => HmacSha256Lanes.Hkdf(secrets, [], keys, 100, 101, 2));
        Assert.Throws<ArgumentException>(() => HmacSha256Lanes.Hkdf(secrets, [], keys, 100, 100, 3));
        Assert.Throws<ArgumentException>(() => HmacSha256Lanes.Hkdf(secrets, [], keys, 100, 100, 17));

        var tags = new byte[2 * HmacSha256Lanes.TagSize];
        Assert.ThrowsAny<ArgumentException>(() => HmacSha256Lanes.Compute(keys, [0, 100], 65, keys, [0, 100], 100, tags));
        Assert.ThrowsAny<ArgumentException>(() => HmacSha256Lanes.Compute(keys, [0, 100], 16, keys, [0, 101], 100, tags));
        Assert.ThrowsAny<ArgumentException>(() => HmacSha256Lanes.Compute(keys, [0, 100, 0], 16, keys, [0, 100, 0], 100, tags));
    }
}
