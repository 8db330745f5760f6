using System.Buffers.Binary;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Tools;

namespace NymGateway.Load.Traffic;

/// <summary>
/// Distinct framed final-hop packets for one phase, built before it starts (the gateway drops a
/// replayed packet, so none may repeat). Each message starts with its number, unique in the run,
/// so a push tells which message it is. Senders take frames in order until the pool is spent.
/// </summary>
public sealed class FramePool
{
    private byte[][] _frames;
    private int _next = -1;

    private FramePool(long firstNumber, byte[][] frames)
    {
        FirstNumber = firstNumber;
        _frames = frames;
        Count = frames.Length;
    }

    /// <summary>The number of this pool's first message.</summary>
    public long FirstNumber { get; }

    public int Count { get; }

    /// <summary>Frames handed out so far.</summary>
    public int Taken => Math.Min(Volatile.Read(ref _next) + 1, Count);

    public static FramePool Build(byte[] gatewaySphinxKey, IReadOnlyList<byte[]> clientAddresses, NodeAddress ackFirstHop, long firstNumber, int count, CancellationToken cancellation)
    {
        var frames = new byte[count][];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellation }, i =>
        {
            var message = new byte[FinalHopPackets.MaxRegularMessage];
            BinaryPrimitives.WriteInt64LittleEndian(message, firstNumber + i);
            var packet = FinalHopPackets.Regular(gatewaySphinxKey, clientAddresses[i % clientAddresses.Count], message, ackFirstHop, new byte[PacketSizes.Ack]);
            frames[i] = SphinxFrameCodec.Encode(PacketMode.Mix, packet);
        });
        return new FramePool(firstNumber, frames);
    }

    /// <summary>The number a message carries (its first 8 bytes).</summary>
    public static long NumberOf(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadInt64LittleEndian(message);

    /// <summary>The next unused frame and its index in this pool, or null when spent.</summary>
    public (byte[] Frame, int Index)? Next()
    {
        var frames = _frames;
        int index = Interlocked.Increment(ref _next);
        return index < frames.Length ? (frames[index], index) : null;
    }

    /// <summary>Lets the frames go once the phase is over (a phase's frames take gigabytes); what was taken stays known.</summary>
    public void Release()
    {
        _frames = [];
    }

    /// <summary>Every frame, for the 0.9.2 stand-in to be given the same messages.</summary>
    public IReadOnlyList<byte[]> Frames => _frames;
}
