using BenchmarkDotNet.Attributes;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Benchmarks;

/// <summary>
/// Final-hop processing of a batch of packets on 1 thread and on every core at once; packets/s =
/// Packets / mean time. The ratio of the two rows is how the gateway's crypto scales in one process.
/// </summary>
[MemoryDiagnoser]
public class ParallelFinalHopBenchmarks
{
    public const int Packets = 2000;
    private byte[][] _packets = [];
    private FinalHopProcessor _gateway = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _packets = Enumerable.Range(0, 16).Select(_ => PacketFactory.FinalHop()).ToArray();
        _gateway = new FinalHopProcessor(new SphinxNode(PacketFactory.Gateway.Secret));
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public void FinalHops()
    {
        int perThread = Packets / Threads;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            var scratch = new byte[PacketSizes.Extended];
            for (int i = 0; i < perThread; i++)
            {
                _gateway.TryProcess(PacketSize.RegularPacket, PacketMode.Mix, _packets[(t + i) & 15], scratch, out _, out _);
            }
        });
    }
}
