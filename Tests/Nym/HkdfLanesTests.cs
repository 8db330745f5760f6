using NymGateway.Nym.Crypto;
using NymGateway.Nym.Sphinx;
using Xunit;

namespace NymGateway.Tests.Nym;

/// <summary>
/// Sixteen-lane HKDF-SHA256 gives the one-at-a-time HKDF's keys in every lane: the Sphinx key
/// schedule, every lane count, and output and info lengths that end inside, on and past a block.
/// </summary>
[Trait("Category", "Unit")]
public sealed class HkdfLanesTests
{
    [Fact]
    public void Every_lane_matches_the_single_hkdf()
    {
        Assert.True(HkdfLanes.IsSupported, "the benchmark and CI machines have AVX-512; without it only the single HKDF runs");
        var random = new Random(16);
        var infos = new[] { SphinxConstants.HkdfInputSeed.ToArray(), [], [7], new byte[22], new byte[23], new byte[54], new byte[55], new byte[119] };
        foreach (var info in infos)
        {
            random.NextBytes(info);
            for (int lanes = 1; lanes <= HkdfLanes.Lanes; lanes++)
            {
                int keyLength = lanes == 1 ? SphinxConstants.ExpandedSecretLength : random.Next(0, 400);
                int keyStride = keyLength + lanes % 3;
                var secrets = new byte[lanes * HkdfLanes.SecretSize];
                random.NextBytes(secrets);
                var keys = new byte[lanes * keyStride];

                HkdfLanes.Derive(secrets, info, keys, keyStride, keyLength, lanes);

                for (int lane = 0; lane < lanes; lane++)
                {
                    var expected = new byte[keyLength];
                    HmacSha256.Hkdf(secrets.AsSpan(lane * HkdfLanes.SecretSize, HkdfLanes.SecretSize), info, expected);
                    Assert.Equal(expected, keys.AsSpan(lane * keyStride, keyLength).ToArray());
                }
            }
        }
    }

    [Fact]
    public void Lanes_that_do_not_fit_their_buffers_are_refused()
    {
        var secrets = new byte[2 * HkdfLanes.SecretSize];
        var keys = new byte[2 * 100];
        Assert.Throws<ArgumentException>(() => HkdfLanes.Derive(secrets, [], keys, 100, 101, 2));
        Assert.Throws<ArgumentException>(() => HkdfLanes.Derive(secrets, [], keys, 100, 100, 3));
        Assert.Throws<ArgumentException>(() => HkdfLanes.Derive(secrets, [], keys, 100, 100, 17));
    }
}
