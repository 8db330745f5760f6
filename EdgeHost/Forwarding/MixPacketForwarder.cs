using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;

namespace NymGateway.EdgeHost.Forwarding;

/// <summary>
/// Sends mix packets (clients' ForwardSphinx requests and SURB-ACKs) to their next hop over
/// one pooled TCP connection per hop, framed as 0.9.2 frames them. Each hop has a bounded
/// queue; when it is full the packet is dropped and logged, as in 0.9.2. Failed connections
/// are retried with exponential backoff; packets taken for a connection that then failed are lost.
/// </summary>
public sealed class MixPacketForwarder : IAsyncDisposable
{
    private readonly ForwarderOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPEndPoint, Hop> _hops = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly LogThrottle _dropLog;

    public MixPacketForwarder(IOptions<ForwarderOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<MixPacketForwarder> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _dropLog = new LogThrottle(logger, "Packets dropped by the forwarder", time);
        metrics.ObserveForwarderQueues(() => Queued);
    }

    /// <summary>Packets waiting in the hops' queues.</summary>
    private int Queued => _hops.Values.Sum(hop => hop.Queue.Reader.Count);

    /// <summary>Queues the packet for its next hop; false when that hop's queue was full.</summary>
    public bool Forward(MixPacket packet)
    {
        var hop = _hops.GetOrAdd(packet.NextHop.EndPoint, endPoint => new Hop(endPoint, this));
        if (hop.Queue.Writer.TryWrite(packet))
        {
            return true;
        }
        _metrics.ForwardDropped.Add(1, GatewayMetrics.QueueFull);
        if (_dropLog.TryEnter())
        {
            _logger.PacketDropped(packet.NextHop);
        }
        return false;
    }

    /// <summary>
    /// Sends what the hops still have queued, within <paramref name="timeout"/> (a graceful stop);
    /// returns how many packets were left unsent. Nothing is queued afterwards.
    /// </summary>
    public async Task<int> FlushAsync(TimeSpan timeout)
    {
        foreach (var hop in _hops.Values)
        {
            hop.Queue.Writer.TryComplete();
        }
        await Task.WhenAll(_hops.Values.Select(h => h.Worker)).WaitAsync(timeout).ContinueWith(_ => { }, TaskScheduler.Default);
        int unsent = Queued;
        await _stopping.CancelAsync();
        return unsent;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var hop in _hops.Values)
        {
            hop.Queue.Writer.TryComplete();
        }
        await Task.WhenAll(_hops.Values.Select(h => h.Worker));
        _stopping.Dispose();
    }

    private TimeSpan Backoff(int failures)
    {
        if (failures == 0)
        {
            return TimeSpan.Zero;
        }
        var o = _options;
        double ms = o.PacketForwardingInitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, o.PacketForwardingMaximumBackoff.TotalMilliseconds));
    }

    private sealed class Hop
    {
        private readonly IPEndPoint _endPoint;
        private readonly MixPacketForwarder _owner;

        public Hop(IPEndPoint endPoint, MixPacketForwarder owner)
        {
            _endPoint = endPoint;
            _owner = owner;
            Queue = Channel.CreateBounded<MixPacket>(new BoundedChannelOptions(Math.Max(1, owner._options.MaximumConnectionBufferSize))
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            Worker = Task.Run(RunAsync);
        }

        public Channel<MixPacket> Queue { get; }
        public Task Worker { get; }

        private async Task RunAsync()
        {
            int failures = 0;
            var stopping = _owner._stopping.Token;
            while (!stopping.IsCancellationRequested && await WaitForWork(stopping))
            {
                try
                {
                    await Task.Delay(_owner.Backoff(failures), stopping);
                    using var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
                    {
                        timeout.CancelAfter(_owner._options.InitialConnectionTimeout);
                        await socket.ConnectAsync(_endPoint, timeout.Token);
                    }
                    _owner._logger.Connected(_endPoint);
                    failures = 0;
                    await using var stream = new NetworkStream(socket, ownsSocket: false);
                    await SendAsync(PipeWriter.Create(stream), stopping);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
                {
                    failures++;
                    _owner._logger.ConnectionFailed(_endPoint, ex.Message, _owner.Backoff(failures));
                }
            }
        }

        private async Task<bool> WaitForWork(CancellationToken stopping)
        {
            try
            {
                return await Queue.Reader.WaitToReadAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private async Task SendAsync(PipeWriter writer, CancellationToken stopping)
        {
            while (await Queue.Reader.WaitToReadAsync(stopping))
            {
                int count = 0;
                while (Queue.Reader.TryRead(out var packet))
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
                    _owner._metrics.ForwardDropped.Add(count, GatewayMetrics.HopUnreachable);
                    throw;
                }
                if (flushed.IsCompleted)
                {
                    _owner._metrics.ForwardDropped.Add(count, GatewayMetrics.HopUnreachable);
                    throw new IOException("the mix node closed the connection");
                }
                _owner._metrics.PacketsForwarded.Add(count);
            }
        }
    }
}
