using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Sphinx;
using NymGateway.Tools;

namespace NymGateway.Mixnet;

/// <summary>
/// A 0.9.2 mix node for local use: reads framed Sphinx packets, processes the forward hop with
/// its key, holds each packet for its delay (capped; none in VPN mode) and forwards it, framed
/// with the same size and mode, to the next hop the header names. No replay filter, no
/// presence, no metrics: 0.9.2's node had no replay filter either.
/// </summary>
public sealed partial class MixNode : IAsyncDisposable
{
    private readonly MixNodeOptions _options;
    private readonly SphinxNode _sphinx;
    private readonly ILogger _logger;
    private readonly FrameListener _listener;
    private readonly NextHops _nextHops = new();
    private readonly CancellationTokenSource _stop = new();
    private int _acksToDrop;
    private long _forwarded;

    public MixNode(MixNodeOptions options, ILogger<MixNode> logger)
    {
        _options = options;
        _sphinx = new SphinxNode(options.SphinxPrivateKey);
        _logger = logger;
        _acksToDrop = options.DropAckPackets;
        _listener = new FrameListener(options.Listen, frame =>
        {
            Process(frame);
            return ValueTask.CompletedTask;
        }, LogBadFrame);
    }

    public IPEndPoint EndPoint => _listener.EndPoint;

    /// <summary>Packets this node has unwrapped and scheduled for their next hop (dropped ones not counted).</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    public void Start()
    {
        _listener.Start();
        LogListening(EndPoint, _options.MaxDelay.TotalMilliseconds);
    }

    private void Process(SphinxFrame frame)
    {
        var packet = frame.Packet.ToArray();
        var output = new byte[packet.Length];
        if (!_sphinx.TryProcess(packet, output, out var hop, out var error))
        {
            LogUnwrapFailed(error!.ToString());
            return;
        }
        if (hop.Kind != SphinxHopKind.Forward)
        {
            LogFinalHop();
            return;
        }
        if (!NodeAddress.TryParse(hop.Address, out var next, out _))
        {
            LogBadNextHop();
            return;
        }
        if (frame.Size == PacketSize.ACKPacket && Volatile.Read(ref _acksToDrop) > 0 && Interlocked.Decrement(ref _acksToDrop) >= 0)
        {
            LogDroppedAck(next.EndPoint);
            return;
        }
        var delay = frame.Mode == PacketMode.VPN
            ? TimeSpan.Zero
            : TimeSpan.FromTicks((long)Math.Min(hop.DelayNanos / 100, (ulong)_options.MaxDelay.Ticks));
        var bytes = SphinxFrameCodec.Encode(frame.Mode, output.AsSpan(0, hop.OutputLength));
        Interlocked.Increment(ref _forwarded);
        _ = ForwardAsync(next.EndPoint, bytes, delay);
    }

    private async Task ForwardAsync(IPEndPoint next, byte[] frame, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token);
            if (!await _nextHops.SendAsync(next, frame, _stop.Token))
            {
                LogUnreachable(next);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _stop.CancelAsync();
        await _nextHops.DisposeAsync();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening for sphinx packets on {EndPoint} (delays capped at {MaxDelayMs} ms)")]
    private partial void LogListening(IPEndPoint endPoint, double maxDelayMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Closing the connection from {Peer}: {Error}")]
    private partial void LogBadFrame(EndPoint? peer, FrameError error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Failed to unwrap Sphinx packet: {Error}")]
    private partial void LogUnwrapFailed(string error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Received a final hop packet: a mix node only forwards, dropping it")]
    private partial void LogFinalHop();

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "The next hop address in a packet is malformed; dropping it")]
    private partial void LogBadNextHop();

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Dropped an ACK packet for {Next} (--drop-acks)")]
    private partial void LogDroppedAck(IPEndPoint next);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Could not reach {Next}; the packet is dropped")]
    private partial void LogUnreachable(IPEndPoint next);
}
