using NymGateway.Nym.Crypto;
using Xunit;

namespace NymGateway.Tests.Nym;

/// <summary>
/// Eight-lane keyed BLAKE2b gives libsodium's digests in every lane: every length over the first
/// blocks (empty, partial, whole, one byte past), a Lioness half, and every lane count.
/// </summary>
[Trait("Category", "Unit")]
public sealed class Blake2bLanesTests
{
    [Fact]
    public void Every_lane_matches_libsodium()
    {
        Assert.True(Blake2bLanes.IsSupported, "the benchmark and CI machines have AVX-512; without it only libsodium runs");
        var random = new Random(12);
        int[] lengths = [.. Enumerable.Range(0, 400), 2033, 2048, 2049, 4000];
        foreach (int length in lengths)
        {
            int lanes = 1 + length % Blake2bLanes.Lanes;
            int keyStride = Blake2bLanes.KeySize + length % 7;
            int messageStride = length + 3;
            var keys = new byte[lanes * keyStride];
            var messages = new byte[lanes * messageStride];
            random.NextBytes(keys);
            random.NextBytes(messages);

            var digests = new byte[lanes * Blake2bLanes.DigestSize];
            var keyOffsets = Enumerable.Range(0, lanes).Select(l => l * keyStride).ToArray();
            var messageOffsets = Enumerable.Range(0, lanes).Select(l => l * messageStride).ToArray();
            Blake2bLanes.Hash(keys, keyOffsets, messages, messageOffsets, length, digests);

            for (int lane = 0; lane < lanes; lane++)
            {
                var expected = new byte[Blake2bLanes.DigestSize];
                Lioness.HashRound(keys.AsSpan(lane * keyStride, Blake2bLanes.KeySize), expected, messages.AsSpan(lane * messageStride, length));
                Assert.Equal(expected, digests.AsSpan(lane * Blake2bLanes.DigestSize, Blake2bLanes.DigestSize).ToArray());
            }
        }
    }

    [Fact]
    public void Lanes_that_do_not_fit_their_buffers_are_refused()
    {
        var keys = new byte[2 * Blake2bLanes.KeySize];
        var messages = new byte[2 * 100];
        var digests = new byte[2 * Blake2bLanes.DigestSize];
        int[] two = [0, 100];
        Assert.ThrowsAny<ArgumentException>(() => Blake2bLanes.Hash(keys, [0, 64], messages, two, 101, digests));
        Assert.ThrowsAny<ArgumentException>(() => Blake2bLanes.Hash(keys, [0, 65], messages, two, 100, digests));
        Assert.ThrowsAny<ArgumentException>(() => Blake2bLanes.Hash(keys, [0, 64, 0], messages, [0, 100, 0], 100, digests));
        Assert.ThrowsAny<ArgumentException>(() => Blake2bLanes.Hash(keys, [], messages, [], 100, digests));
        Assert.ThrowsAny<ArgumentException>(() => Blake2bLanes.Hash(keys, [0, 64], messages, [0], 100, digests));
    }
}
