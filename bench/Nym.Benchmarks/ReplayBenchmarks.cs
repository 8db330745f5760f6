using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Replay;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Benchmarks;

/// <summary>
/// What replay protection adds per packet on an edge, against the final hop it guards: the
/// filter check at the default [replay] size (52 MB, so each of its 17 probes is a cache miss)
/// and the one extra HKDF block the tag costs inside the final hop.
/// </summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    private readonly byte[] _scratch = new byte[PacketSizes.Extended];
    private readonly byte[] _shared = new byte[32];
    private readonly byte[] _keys = new byte[SphinxConstants.ExpandedSecretLength];
    private readonly byte[] _seen = new byte[SphinxConstants.ReplayTagSize];
    private byte[] _finalHop = [];
    private FinalHopProcessor _gateway = null!;
    private ReplayFilter _filter = null!;
    private ulong _state = 0x9E3779B97F4A7C15;

    [GlobalSetup]
    public void Setup()
    {
        _finalHop = PacketFactory.FinalHop();
        _gateway = new FinalHopProcessor(new SphinxNode(PacketFactory.Gateway.Secret));
        // [replay]'s defaults: 100 packets/s over a day at 1e-5.
        _filter = new ReplayFilter(100L * 86_400, 1e-5, TimeSpan.FromDays(1), TimeProvider.System);
        _filter.TryAdd(_seen);
    }

    [Benchmark(Baseline = true, Description = "final hop, regular packet")]
    public int FinalHop()
    {
        _gateway.TryProcess(PacketSize.RegularPacket, PacketMode.Mix, _finalHop, _scratch, out var result, out _);
        return result.Message.Length;
    }

    [Benchmark(Description = "replay filter, fresh tag")]
    public bool FreshTag()
    {
        Span<byte> tag = stackalloc byte[SphinxConstants.ReplayTagSize];
        BinaryPrimitives.WriteUInt64LittleEndian(tag, Next());
        BinaryPrimitives.WriteUInt64LittleEndian(tag[8..], Next());
        return _filter.TryAdd(tag);
    }

    [Benchmark(Description = "replay filter, replayed tag")]
    public bool ReplayedTag() => _filter.TryAdd(_seen);

    [Benchmark(Description = "HKDF of the routing keys alone (256 bytes)")]
    public byte RoutingKeysOnly()
    {
        RoutingKeys.Derive(_shared, _keys.AsSpan(0, SphinxConstants.RoutingKeysLength));
        return _keys[0];
    }

    [Benchmark(Description = "HKDF of the keys and the tag (288 bytes)")]
    public byte WithReplayTag()
    {
        RoutingKeys.Derive(_shared, _keys);
        return _keys[0];
    }

    /// <summary>xorshift64: fresh, uniform tags without a cryptographic RNG in the measurement.</summary>
    private ulong Next()
    {
        _state ^= _state << 13;
        _state ^= _state >> 7;
        _state ^= _state << 17;
        return _state;
    }
}
