using BenchmarkDotNet.Attributes;
using NymGateway.Nym.Crypto;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Benchmarks;

/// <summary>
/// The final hop of a regular packet step by step, each on the sizes the final hop feeds it, in
/// units of the one X25519 it cannot avoid (docs/final-hop.md). The Sphinx layer is the first six
/// rows and its copies; the final hop adds the plaintext split and the result's allocations.
/// </summary>
[MemoryDiagnoser]
public class FinalHopStepBenchmarks
{
    private const int LionessHalf = 32;
    private readonly byte[] _shared = new byte[32];
    private readonly byte[] _keys = new byte[SphinxConstants.ExpandedSecretLength];
    private readonly byte[] _mac = new byte[SphinxConstants.MacSize];
    private readonly byte[] _routing = new byte[SphinxConstants.StreamCipherOutputLength];
    private readonly byte[] _payload = new byte[PacketSize.RegularPacket.PayloadSize()];
    private readonly byte[] _iv = new byte[Aes128Ctr.IvSize];
    private readonly byte[] _digest = new byte[LionessHalf];
    private readonly byte[] _lanePayloads = new byte[Blake2bLanes.Lanes * PacketSize.RegularPacket.PayloadSize()];
    private static readonly int[] LaneKeyOffsets = [.. Enumerable.Range(0, Blake2bLanes.Lanes).Select(l => l * Blake2bLanes.KeySize)];
    private static readonly int[] LanePayloadOffsets = [.. Enumerable.Range(0, Blake2bLanes.Lanes).Select(l => l * PacketSize.RegularPacket.PayloadSize() + LionessHalf)];
    private readonly byte[] _laneKeys = new byte[Blake2bLanes.Lanes * Blake2bLanes.KeySize];
    private readonly byte[] _laneSecrets = new byte[HmacSha256Lanes.Lanes * HmacSha256Lanes.SecretSize];
    private readonly byte[] _laneKeySchedules = new byte[HmacSha256Lanes.Lanes * SphinxConstants.ExpandedSecretLength];
    private readonly byte[] _laneDigests = new byte[Blake2bLanes.Lanes * Blake2bLanes.DigestSize];
    private readonly byte[] _scratch = new byte[PacketSizes.Extended];
    private byte[] _finalHop = [];
    private ReceivedPacket[] _batch = [];
    private ReadOnlyMemory<byte>[] _batchBytes = [];
    private readonly byte[] _batchOutputs = new byte[SphinxNode.BatchSize * PacketSizes.Regular];
    private readonly ProcessedHop[] _batchHops = new ProcessedHop[SphinxNode.BatchSize];
    private readonly SphinxError?[] _batchSphinxErrors = new SphinxError?[SphinxNode.BatchSize];
    private static readonly int[] LaneMacKeyOffsets = [.. Enumerable.Range(0, HmacSha256Lanes.Lanes).Select(l => l * SphinxConstants.ExpandedSecretLength + RoutingKeys.MacKeyOffset)];
    private static readonly int[] LaneBetaOffsets = [.. Enumerable.Range(0, HmacSha256Lanes.Lanes).Select(l => l * SphinxConstants.EncryptedRoutingInfoSize)];
    private readonly byte[] _laneBetas = new byte[HmacSha256Lanes.Lanes * SphinxConstants.EncryptedRoutingInfoSize];
    private readonly byte[] _laneTags = new byte[HmacSha256Lanes.Lanes * HmacSha256Lanes.TagSize];
    private readonly ProcessedFinalHop?[] _batchResults = new ProcessedFinalHop?[SphinxNode.BatchSize];
    private readonly GatewayProcessingError?[] _batchErrors = new GatewayProcessingError?[SphinxNode.BatchSize];
    private SphinxNode _node = null!;
    private FinalHopProcessor _gateway = null!;

    [GlobalSetup]
    public void Setup()
    {
        _finalHop = PacketFactory.FinalHop();
        _batch = [.. Enumerable.Range(0, SphinxNode.BatchSize).Select(_ => new ReceivedPacket(PacketSize.RegularPacket, PacketMode.Mix, PacketFactory.FinalHop()))];
        _batchBytes = [.. _batch.Select(p => p.Bytes)];
        _node = new SphinxNode(PacketFactory.Gateway.Secret);
        _gateway = new FinalHopProcessor(_node);
        Random.Shared.NextBytes(_keys);
        Random.Shared.NextBytes(_laneKeys);
        Random.Shared.NextBytes(_laneSecrets);
        _node.TryProcess(_finalHop, _scratch, out _, out _);
        _scratch.AsSpan(0, _payload.Length).CopyTo(_payload);
    }

    [Benchmark(Baseline = true, Description = "X25519 (libsodium)")]
    public byte SharedSecret()
    {
        X25519.SharedSecret(PacketFactory.Gateway.Secret, _finalHop.AsSpan(0, 32), _shared);
        return _shared[0];
    }

    [Benchmark(Description = "HKDF-SHA256, keys and tag (288 B)")]
    public byte Hkdf()
    {
        RoutingKeys.Derive(_shared, _keys);
        return _keys[0];
    }

    [Benchmark(Description = "HKDF-SHA256, sixteen lanes, per lane", OperationsPerInvoke = HmacSha256Lanes.Lanes)]
    public byte HkdfLanesPerLane()
    {
        HmacSha256Lanes.Hkdf(_laneSecrets, SphinxConstants.HkdfInputSeed, _laneKeySchedules, _keys.Length, _keys.Length, HmacSha256Lanes.Lanes);
        return _laneKeySchedules[0];
    }

    [Benchmark(Description = "header HMAC-SHA256 (300 B)")]
    public byte HeaderMac()
    {
        RoutingKeys.ComputeHeaderMac(RoutingKeys.MacKey(_keys), _finalHop.AsSpan(48, SphinxConstants.EncryptedRoutingInfoSize), _mac);
        return _mac[0];
    }

    [Benchmark(Description = "header HMAC-SHA256, sixteen lanes, per lane", OperationsPerInvoke = HmacSha256Lanes.Lanes)]
    public byte HeaderMacLanesPerLane()
    {
        HmacSha256Lanes.Compute(_laneKeySchedules, LaneMacKeyOffsets, SphinxConstants.MacKeySize, _laneBetas, LaneBetaOffsets,
            SphinxConstants.EncryptedRoutingInfoSize, _laneTags);
        return _laneTags[0];
    }

    [Benchmark(Description = "header AES-128-CTR (360 B)")]
    public byte HeaderAesCtr()
    {
        Aes128Ctr.Apply(RoutingKeys.StreamCipherKey(_keys), _iv, _routing);
        return _routing[0];
    }

    [Benchmark(Description = "Lioness: one ChaCha20 round (2033 B)")]
    public byte LionessStreamRound()
    {
        Lioness.StreamRound(_keys.AsSpan(0, LionessHalf), _payload.AsSpan(0, LionessHalf), _payload.AsSpan(LionessHalf));
        return _payload[LionessHalf];
    }

    [Benchmark(Description = "Lioness: one keyed BLAKE2b round (2033 B)")]
    public byte LionessHashRound()
    {
        Lioness.HashRound(_keys.AsSpan(0, 64), _digest, _payload.AsSpan(LionessHalf));
        return _digest[0];
    }

    [Benchmark(Description = "Lioness: keyed BLAKE2b round, eight lanes, per lane (2033 B)", OperationsPerInvoke = Blake2bLanes.Lanes)]
    public byte LionessHashRoundLanes()
    {
        Blake2bLanes.Hash(_laneKeys, LaneKeyOffsets, _lanePayloads, LanePayloadOffsets, _payload.Length - LionessHalf, _laneDigests);
        return _laneDigests[0];
    }

    [Benchmark(Description = "Lioness decrypt (2065 B)")]
    public byte LionessDecrypt()
    {
        Lioness.Decrypt(RoutingKeys.PayloadKey(_keys), _payload);
        return _payload[0];
    }

    [Benchmark(Description = "Sphinx layer (SphinxNode)")]
    public int SphinxLayer()
    {
        _node.TryProcess(_finalHop, _scratch, out var hop, out _);
        return hop.OutputLength;
    }

    [Benchmark(Description = "final hop (FinalHopProcessor)")]
    public int FinalHop()
    {
        _gateway.TryProcess(PacketSize.RegularPacket, PacketMode.Mix, _finalHop, _scratch, out var result, out _);
        return result.Message.Length;
    }

    [Benchmark(Description = "Sphinx layer in a batch of 16, per packet (SphinxNode.ProcessBatch)", OperationsPerInvoke = SphinxNode.BatchSize)]
    public int SphinxLayerBatch()
    {
        _node.ProcessBatch(_batchBytes, _batchOutputs, _batchHops, _batchSphinxErrors);
        return _batchHops[0].OutputLength;
    }

    [Benchmark(Description = "final hop in a batch of 16, per packet (FinalHopProcessor.ProcessBatch)", OperationsPerInvoke = SphinxNode.BatchSize)]
    public int FinalHopBatch()
    {
        _gateway.ProcessBatch(_batch, _batchResults, _batchErrors);
        return _batchResults[0]!.Message.Length;
    }
}
