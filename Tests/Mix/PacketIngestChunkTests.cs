using NymGateway.EdgeHost.Mix;
using NymGateway.Nym.Sphinx;
using Xunit;

namespace NymGateway.Tests.Mix;

/// <summary>
/// A batch's unwrap chunks cover every packet once, none empty, at most one per core, and no
/// thinner than a Sphinx batch while there are more cores than batches: on any core count.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PacketIngestChunkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(64)]
    public void Chunks_cover_the_batch_once_and_fill_their_lanes(int cores)
    {
        for (int packets = 1; packets <= 3 * cores * SphinxNode.BatchSize + 40; packets++)
        {
            var chunks = PacketIngest.Chunks(packets, cores);
            int batches = (packets + SphinxNode.BatchSize - 1) / SphinxNode.BatchSize;
            Assert.Equal(Math.Min(cores, batches), chunks.Length);
            int next = 0;
            foreach (var chunk in chunks)
            {
                var (start, length) = chunk.GetOffsetAndLength(packets);
                Assert.Equal(next, start);
                Assert.True(length > 0, $"an empty chunk of {packets} packets on {cores} cores");
                next = start + length;
            }
            Assert.Equal(packets, next);
            int thinnest = chunks.Min(c => c.GetOffsetAndLength(packets).Length);
            Assert.True(chunks.Length == 1 || thinnest >= SphinxNode.BatchSize / 2,
                $"{packets} packets on {cores} cores in chunks as thin as {thinnest}");
        }
        Assert.Empty(PacketIngest.Chunks(0, cores));
    }
}
