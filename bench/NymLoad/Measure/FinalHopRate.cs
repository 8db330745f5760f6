using System.Diagnostics;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Load.Measure;

/// <summary>
/// The raw final-hop rate on all cores, in this process: the Sphinx work the gateway does per
/// packet, in batches as its mix connections unwrap them, and nothing else. Every other figure is
/// reported as a ratio of it.
/// </summary>
public static class FinalHopRate
{
    /// <returns>Packets unwrapped, and how long that took.</returns>
    public static (long Processed, TimeSpan Took) Measure(byte[] sphinxSecret, IReadOnlyList<byte[]> frames, TimeSpan length)
    {
        var processor = new FinalHopProcessor(new SphinxNode(sphinxSecret));
        long processed = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
        {
            var batch = new ReceivedPacket[SphinxNode.BatchSize];
            var results = new ProcessedFinalHop?[batch.Length];
            var errors = new GatewayProcessingError?[batch.Length];
            long mine = 0;
            for (int i = t * batch.Length; clock.Elapsed < length; i += Environment.ProcessorCount * batch.Length)
            {
                for (int p = 0; p < batch.Length; p++)
                {
                    batch[p] = new ReceivedPacket(PacketSize.RegularPacket, PacketMode.Mix, frames[(i + p) % frames.Count].AsMemory(SphinxFrameCodec.HeaderSize));
                }
                processor.ProcessBatch(batch, results, errors);
                if (Array.Find(errors, e => e is not null) is { } error)
                {
                    throw new InvalidOperationException($"a load frame did not unwrap: {error}");
                }
                mine += batch.Length;
            }
            Interlocked.Add(ref processed, mine);
        });
        return (processed, clock.Elapsed);
    }
}
