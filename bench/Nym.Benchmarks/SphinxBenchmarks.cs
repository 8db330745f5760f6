using System.Buffers;
using BenchmarkDotNet.Attributes;
using NymGateway.Nym.Crypto;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Benchmarks;

/// <summary>
/// Per-packet costs on one core. The ratio that matters is FinalHop / RawX25519: the gateway's
/// work per packet in units of the one scalar multiplication it cannot avoid.
/// </summary>
[MemoryDiagnoser]
public class SphinxBenchmarks
{
    private byte[] _finalHop = [];
    private byte[] _forwardHop = [];
    private byte[] _scratch = [];
    private byte[] _frames = [];
    private byte[] _request = [];
    private byte[] _requestCopy = [];
    private readonly byte[] _shared = new byte[32];
    private FinalHopProcessor _gateway = null!;
    private SphinxNode _mix = null!;
    private SharedKeys _keys = null!;

    [GlobalSetup]
    public void Setup()
    {
        _finalHop = PacketFactory.FinalHop();
        _forwardHop = PacketFactory.ForwardHop();
        _scratch = new byte[PacketSizes.Extended];
        _gateway = new FinalHopProcessor(new SphinxNode(PacketFactory.Gateway.Secret));
        _mix = new SphinxNode(PacketFactory.Mix.Secret);

        var frame = SphinxFrameCodec.Encode(PacketMode.Mix, _finalHop);
        _frames = new byte[frame.Length * 1000];
        for (int i = 0; i < 1000; i++)
        {
            frame.CopyTo(_frames, i * frame.Length);
        }

        _keys = SharedKeys.FromBytes(new byte[32]);
        var mixPacket = new MixPacket(new NymGateway.Nym.Addressing.NodeAddress(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1789)), _forwardHop, PacketMode.Mix);
        _request = BinaryMessages.SealForwardSphinx(_keys, mixPacket);
        _requestCopy = new byte[_request.Length];
    }

    [Benchmark(Baseline = true, Description = "raw X25519 (libsodium)")]
    public byte RawX25519()
    {
        X25519.SharedSecret(PacketFactory.Gateway.Secret, _finalHop.AsSpan(0, 32), _shared);
        return _shared[0];
    }

    [Benchmark(Description = "final hop, regular packet")]
    public int FinalHop()
    {
        _gateway.TryProcess(PacketSize.RegularPacket, PacketMode.Mix, _finalHop, _scratch, out var result, out _);
        return result.Message.Length;
    }

    [Benchmark(Description = "forward hop, regular packet")]
    public ulong ForwardHop()
    {
        _mix.TryProcess(_forwardHop, _scratch, out var hop, out _);
        return hop.DelayNanos;
    }

    [Benchmark(Description = "decode 1000 frames")]
    public int DecodeFrames()
    {
        var buffer = new ReadOnlySequence<byte>(_frames);
        int count = 0;
        while (SphinxFrameCodec.TryDecode(ref buffer, out _, out _) == FrameStatus.Frame)
        {
            count++;
        }
        return count;
    }

    [Benchmark(Description = "open ForwardSphinx request")]
    public bool OpenForwardSphinx()
    {
        _request.CopyTo(_requestCopy, 0);
        return BinaryMessages.TryOpenForwardSphinx(_keys, _requestCopy, out _, out _);
    }
}
