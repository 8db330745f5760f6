using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using NymGateway.EdgeHost.Shutdown;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Nym.Framing;

namespace NymGateway.EdgeHost.Mix;

/// <summary>
/// One mix node's TCP connection: decodes frames straight from the pipe, copies complete frames
/// into a pooled batch and hands it to <see cref="PacketIngest"/>; up to
/// <see cref="EdgeLimits.MaxBatchesInFlight"/> batches are under way (unwrapped and delivered
/// while the ones before wait for their pushes or writes) while the next is read, and a full window stops reading (back-pressure). A frame
/// with an unknown size or mode byte closes the connection, as 0.9.2 closes it. When the host
/// stops, or the connection sent nothing for the idle timeout, it stores the frames it already
/// received and closes. Connections past the per-IP or total limit are closed at once.
/// </summary>
public sealed class MixConnectionHandler(
    PacketIngest ingest, ConnectionDrain drain, IOptions<EdgeOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<MixConnectionHandler> logger)
    : ConnectionHandler
{
    private readonly ConnectionLimiter _limiter = new(options.Value.Limits.MaxMixConnectionsPerIp, options.Value.Limits.MaxMixConnections);
    private readonly LogThrottle _refusedLog = new(logger, "Refused mix connections", time);
    private readonly LogThrottle _corruptedLog = new(logger, "Corrupted mix connections", time);
    private readonly LogThrottle _idleLog = new(logger, "Idle mix connections closed", time);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (drain.Draining.IsCancellationRequested)
        {
            connection.Abort();
            return;
        }
        var refusal = _limiter.TryAcquire(remote);
        if (refusal != ConnectionRefusal.None)
        {
            metrics.ConnectionRefused(GatewayMetrics.MixListener, refusal);
            if (_refusedLog.TryEnter())
            {
                var limits = options.Value.Limits;
                logger.MixConnectionRefused(remote, refusal, refusal == ConnectionRefusal.Total ? limits.MaxMixConnections : limits.MaxMixConnectionsPerIp);
            }
            connection.Abort();
            return;
        }
        using var open = drain.Track();
        // Ends a pending read, so the loop below sees the stop between two reads, never in the middle of a batch.
        using var stopping = drain.Draining.Register(connection.Transport.Input.CancelPendingRead);
        try
        {
            logger.MixConnectionStarted(connection.RemoteEndPoint);
            await ReadFramesAsync(connection);
        }
        catch (Exception ex) when (ex is ConnectionResetException or OperationCanceledException or IOException)
        {
            logger.MixConnectionEnded(connection.RemoteEndPoint, ex.Message);
        }
        finally
        {
            _limiter.Release(remote);
        }
    }

    private async Task ReadFramesAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var frames = new List<SphinxFrame>();
        var inFlight = new Queue<Task>();
        Task previousAccepted = Task.CompletedTask;
        var idleTimeout = options.Value.Limits.MixConnectionIdleTimeout;
        long lastReceived = time.GetTimestamp();
        // Armed only while waiting for the peer: time spent storing (or waiting for the forwarder) is not idleness.
        using var idle = time.CreateTimer(_ => input.CancelPendingRead(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            while (true)
            {
                idle.Change(idleTimeout, Timeout.InfiniteTimeSpan);
                var result = await input.ReadAsync();
                idle.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                if (!result.IsCanceled)
                {
                    lastReceived = time.GetTimestamp();
                }
                // A cancelled read is the drain or the idle timer; one that raced with new data is neither, and reads on.
                bool idleExpired = result.IsCanceled && time.GetElapsedTime(lastReceived) >= idleTimeout;
                var buffer = result.Buffer;
                var status = Collect(ref buffer, frames, out var error, out var batch);
                if (batch is not null)
                {
                    // The frames are copied out, so the pipe moves on while the batch is stored.
                    var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    inFlight.Enqueue(IngestAsync(batch, previousAccepted, accepted));
                    previousAccepted = accepted.Task;
                }

                if (status == FrameStatus.Error)
                {
                    // Remote garbage is the peer's problem, not ours: a warning, throttled.
                    if (_corruptedLog.TryEnter())
                    {
                        logger.MixConnectionCorrupted(connection.RemoteEndPoint, error);
                    }
                    input.AdvanceTo(buffer.End);
                    return;
                }
                bool moreFrames = status == FrameStatus.Frame;
                input.AdvanceTo(buffer.Start, moreFrames ? buffer.Start : buffer.End);
                while (inFlight.Count >= options.Value.Limits.MaxBatchesInFlight)
                {
                    await inFlight.Dequeue();
                }
                if ((result.IsCompleted || idleExpired || drain.Draining.IsCancellationRequested) && !moreFrames)
                {
                    if (idleExpired)
                    {
                        metrics.ConnectionsTimedOut.Add(1, GatewayMetrics.MixListener);
                        if (_idleLog.TryEnter())
                        {
                            logger.MixConnectionIdle(connection.RemoteEndPoint, idleTimeout);
                        }
                    }
                    logger.MixConnectionClosed(connection.RemoteEndPoint);
                    return;
                }
            }
        }
        finally
        {
            // Only once every complete frame received has been stored.
            await Task.WhenAll(inFlight);
        }
    }

    /// <summary>
    /// Unwraps one batch while earlier ones are delivered, gives its pooled buffer back, then
    /// delivers once the inboxes accepted the previous batch (<paramref name="accepted"/> says when
    /// they accepted this one): the inboxes number a connection's packets in the order it received
    /// them, whatever the cluster does with overlapping calls, while the waits for pushes and
    /// writes overlap.
    /// </summary>
    private async Task IngestAsync(ReceivedBatch batch, Task previous, TaskCompletionSource accepted)
    {
        try
        {
            UnwrappedBatch unwrapped;
            try
            {
                unwrapped = await ingest.UnwrapAsync(batch.Packets);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(batch.Storage);
            }
            await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await ingest.DeliverAsync(unwrapped, accepted);
        }
        finally
        {
            accepted.TrySetResult(); // a failed batch does not hold up the next
        }
    }

    /// <summary>Packets copied into one pooled buffer.</summary>
    private sealed record ReceivedBatch(ReceivedPacket[] Packets, byte[] Storage);

    /// <summary>Decodes every complete frame (up to the batch size) and copies their packets into one pooled buffer.</summary>
    private FrameStatus Collect(ref ReadOnlySequence<byte> buffer, List<SphinxFrame> frames, out FrameError error, out ReceivedBatch? batch)
    {
        batch = null;
        error = default;
        frames.Clear();
        var status = FrameStatus.NeedMoreData;
        long bytes = 0;
        while (frames.Count < options.Value.Limits.MaxFramesPerBatch)
        {
            status = SphinxFrameCodec.TryDecode(ref buffer, out var frame, out error);
            if (status != FrameStatus.Frame)
            {
                break;
            }
            frames.Add(frame);
            bytes += frame.Packet.Length;
        }
        if (frames.Count == 0)
        {
            return status;
        }

        var storage = ArrayPool<byte>.Shared.Rent((int)bytes);
        var packets = new ReceivedPacket[frames.Count];
        int offset = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            int length = (int)frame.Packet.Length;
            frame.Packet.CopyTo(storage.AsSpan(offset));
            packets[i] = new ReceivedPacket(frame.Size, frame.Mode, storage.AsMemory(offset, length));
            offset += length;
        }
        batch = new ReceivedBatch(packets, storage);
        return status;
    }
}
