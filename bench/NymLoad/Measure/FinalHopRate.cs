using System.Diagnostics;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Load.Measure;

/// <summary>
/// The raw final-hop rate on all cores, in this process: the Sphinx work the gateway does per
/// packet and nothing else. Every other figure is reported as a ratio of it.
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
            var scratch = new byte[PacketSizes.Extended];
            long mine = 0;
            for (int i = t; clock.Elapsed < length; i += Environment.ProcessorCount)
            {
                if (!processor.TryProcess(PacketSize.RegularPacket, PacketMode.Mix, frames[i % frames.Count].AsSpan(SphinxFrameCodec.HeaderSize), scratch, out _, out var error))
                {
                    throw new InvalidOperationException($"a load frame did not unwrap: {error}");
                }
                mine++;
            }
            Interlocked.Add(ref processed, mine);
        });
        return (processed, clock.Elapsed);
    }
}
