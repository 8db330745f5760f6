using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;

namespace NymGateway.EdgeHost.Forwarding;

public sealed partial class MixPacketForwarder
{
    private enum HopWrite
    {
        Written,

        /// <summary>The hop retired before the packet got in; it belongs to the hop's successor.</summary>
        Retired,

        /// <summary>The queue stayed full for the whole wait, or had been since the last such wait (no progress since).</summary>
        TimedOut,

        /// <summary>The queue is full while the hop's connection is down.</summary>
        Unreachable,
    }

    /// <summary>
    /// One next hop: its queue and the worker that connects (with backoff) and writes what is
    /// queued. It retires (leaves the forwarder, completes its queue, sends what slipped in and
    /// ends) when no packet came for the idle timeout.
    /// </summary>
    private sealed class Hop
    {
        private readonly IPEndPoint _endPoint;
        private readonly MixPacketForwarder _owner;
        private readonly Channel<MixPacket> _queue;
        private CancellationTokenSource _idle;
        private volatile bool _retired;
        private volatile bool _unreachable;
        private volatile bool _stalled;

        public Hop(IPEndPoint endPoint, MixPacketForwarder owner)
        {
            _endPoint = endPoint;
            _owner = owner;
            _queue = Channel.CreateBounded<MixPacket>(new BoundedChannelOptions(owner._options.MaximumConnectionBufferSize)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            _idle = CancellationTokenSource.CreateLinkedTokenSource(owner._stopping.Token);
        }

        public Task Worker { get; private set; } = Task.CompletedTask;

        public int Queued => _queue.Reader.Count;

        public void Start() => Worker = Task.Run(RunAsync);

        /// <summary>Releases a hop that was never started.</summary>
        public void Discard() => _idle.Dispose();

        public bool TryWrite(MixPacket packet) => _queue.Writer.TryWrite(packet);

        /// <summary>No more packets: the worker sends what is queued and ends.</summary>
        public void Complete() => _queue.Writer.TryComplete();

        /// <summary>The slow path of a forward: the queue was full (or completed) a moment ago.</summary>
        public async ValueTask<HopWrite> WriteAsync(MixPacket packet, TimeSpan wait, CancellationToken cancellationToken)
        {
            if (TryWrite(packet))
            {
                return HopWrite.Written;
            }
            if (_retired)
            {
                return HopWrite.Retired;
            }
            // Waiting on a hop known to be down or stuck would stall every sender for the full wait, packet after packet.
            if (_unreachable)
            {
                return HopWrite.Unreachable;
            }
            if (_stalled)
            {
                return HopWrite.TimedOut;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            try
            {
                await _queue.Writer.WriteAsync(packet, timeout.Token);
                return HopWrite.Written;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _stalled = true;
                return _unreachable ? HopWrite.Unreachable : HopWrite.TimedOut;
            }
            catch (ChannelClosedException)
            {
                return HopWrite.Retired;
            }
        }

        private async Task RunAsync()
        {
            int failures = 0;
            var backoff = TimeSpan.Zero;
            var stopping = _owner._stopping.Token;
            try
            {
                while (await WaitForWorkAsync())
                {
                    try
                    {
                        await Task.Delay(backoff, stopping);
                        using var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
                        {
                            timeout.CancelAfter(_owner._options.InitialConnectionTimeout);
                            await socket.ConnectAsync(_endPoint, timeout.Token);
                        }
                        _owner._logger.Connected(_endPoint);
                        failures = 0;
                        backoff = TimeSpan.Zero;
                        _unreachable = false;
                        await using var stream = new NetworkStream(socket, ownsSocket: false);
                        await SendAsync(PipeWriter.Create(stream), stopping);
                    }
                    catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !stopping.IsCancellationRequested)
                    {
                        failures++;
                        backoff = _owner.Backoff(failures);
                        _unreachable = true;
                        _owner._logger.ConnectionFailed(_endPoint, ex.Message, backoff);
                        // What waited for this hop would reach it late if at all: dropped, so the queue holds only fresh packets.
                        DropQueued(ForwardDropReason.HopUnreachable);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            finally
            {
                Retire();
                DropQueued(stopping.IsCancellationRequested ? ForwardDropReason.Stopping : ForwardDropReason.HopUnreachable);
                _idle.Dispose();
            }
        }

        /// <summary>
        /// True when there is something to send; false when the queue is completed and empty. An
        /// idle timeout retires the hop, after which what slipped in meanwhile is still sent.
        /// </summary>
        private async ValueTask<bool> WaitForWorkAsync()
        {
            _idle.CancelAfter(_owner._options.NextHopIdleTimeout);
            try
            {
                return await _queue.Reader.WaitToReadAsync(_idle.Token);
            }
            catch (OperationCanceledException) when (!_owner._stopping.IsCancellationRequested)
            {
                _owner._logger.HopRetired(_endPoint, _owner._options.NextHopIdleTimeout);
                Retire();
                return await _queue.Reader.WaitToReadAsync(CancellationToken.None);
            }
            finally
            {
                if (!_idle.TryReset())
                {
                    _idle.Dispose();
                    _idle = CancellationTokenSource.CreateLinkedTokenSource(_owner._stopping.Token);
                }
            }
        }

        /// <summary>Leaves the forwarder (new packets start a new hop) and completes the queue; runs once.</summary>
        private void Retire()
        {
            if (_retired)
            {
                return;
            }
            _retired = true;
            _owner._hops.TryRemove(new KeyValuePair<IPEndPoint, Hop>(_endPoint, this));
            Interlocked.Decrement(ref _owner._hopCount);
            Complete();
        }

        private void DropQueued(ForwardDropReason reason)
        {
            int dropped = 0;
            while (_queue.Reader.TryRead(out _))
            {
                dropped++;
            }
            _owner.Drop(_endPoint, dropped, reason);
        }

        private async Task SendAsync(PipeWriter writer, CancellationToken stopping)
        {
            while (await WaitForWorkAsync())
            {
                int count = 0;
                while (_queue.Reader.TryRead(out var packet))
                {
                    SphinxFrameCodec.Encode(packet.Size, packet.Mode, packet.SphinxPacket.Span, writer);
                    count++;
                }
                FlushResult flushed;
                try
                {
                    flushed = await writer.FlushAsync(stopping);
                }
                catch (Exception ex) when (ex is SocketException or IOException)
                {
                    _owner.Drop(_endPoint, count, ForwardDropReason.HopUnreachable);
                    throw;
                }
                if (flushed.IsCompleted)
                {
                    _owner.Drop(_endPoint, count, ForwardDropReason.HopUnreachable);
                    throw new IOException("the mix node closed the connection");
                }
                _owner._metrics.PacketsForwarded.Add(count);
                _stalled = false;
            }
        }
    }
}
