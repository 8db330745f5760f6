using System.Buffers.Binary;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Tools;

namespace NymGateway.ScaleOut;

/// <summary>
/// Distinct framed final-hop packets for registered clients, built once before anything is measured
/// (the gateway drops a replayed packet, so none may repeat within a configuration), in chunks of
/// several frames per socket write. Each configuration starts on a fresh database and fresh edges, so
/// <see cref="Reset"/> hands the same chunks out again.
/// </summary>
internal sealed class FramePool
{
    private readonly byte[][] _chunks;
    private int _next = -1;

    private FramePool(byte[][] chunks, int framesPerChunk)
    {
        _chunks = chunks;
        FramesPerChunk = framesPerChunk;
    }

    public int FramesPerChunk { get; }

    public int Frames => _chunks.Length * FramesPerChunk;

    /// <summary>True once a sender asked for more than the pool holds: the run then measured nothing valid.</summary>
    public bool RanOut => Volatile.Read(ref _next) >= _chunks.Length;

    public static FramePool Build(byte[] gatewaySphinxKey, IReadOnlyList<byte[]> clientAddresses, NodeAddress ackFirstHop, int frames, int framesPerChunk, CancellationToken cancellation)
    {
        var chunks = new byte[(frames + framesPerChunk - 1) / framesPerChunk][];
        Parallel.For(0, chunks.Length, new ParallelOptions { CancellationToken = cancellation }, c =>
        {
            using var chunk = new MemoryStream();
            for (int f = 0; f < framesPerChunk; f++)
            {
                int index = c * framesPerChunk + f;
                var message = new byte[FinalHopPackets.MaxRegularMessage];
                BinaryPrimitives.WriteInt32LittleEndian(message, index);
                var packet = FinalHopPackets.Regular(gatewaySphinxKey, clientAddresses[index % clientAddresses.Count], message, ackFirstHop, new byte[PacketSizes.Ack]);
                chunk.Write(SphinxFrameCodec.Encode(PacketMode.Mix, packet));
            }
            chunks[c] = chunk.ToArray();
        });
        return new FramePool(chunks, framesPerChunk);
    }

    /// <summary>The next unused chunk, or null when the pool is spent.</summary>
    public byte[]? Next()
    {
        int index = Interlocked.Increment(ref _next);
        return index < _chunks.Length ? _chunks[index] : null;
    }

    public void Reset() => Volatile.Write(ref _next, -1);
}
