using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Tools;

namespace NymGateway.Fleet;

/// <summary>
/// The mix side of a fleet scenario, on the mix host: one mix connection per edge sending final-hop
/// packets at a steady rate, round robin over the clients, each carrying its sequence number in its
/// message and in its SURB-ACK; and the stand-in mix node the SURB-ACKs come back to. A connection
/// that breaks is opened again (to the same edge) every half second. Packets held up by a stalled
/// edge are sent late, as a mix node's queue does, up to 2,000 per connection (today's Nym's bound).
/// </summary>
public sealed class MixTraffic : IAsyncDisposable
{
    private const int MaximumBacklog = 2000;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private readonly FleetHost _mix;
    private readonly byte[] _sphinxKey;
    private readonly IReadOnlyList<byte[]> _clients;
    private readonly DeliveryLedger _ledger;
    private readonly MixNodeStub _ackSink;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _senders = [];
    private readonly Task _acks;
    private volatile bool _disposed;

    public MixTraffic(FleetHost mix, byte[] sphinxKey, IReadOnlyList<byte[]> clients, DeliveryLedger ledger)
    {
        _mix = mix;
        _sphinxKey = sphinxKey;
        _clients = clients;
        _ledger = ledger;
        _ackSink = mix.Inside(() => new MixNodeStub(mix.Address));
        _acks = Task.Run(ReceiveAcksAsync);
    }

    /// <summary>Where the stand-in mix node takes SURB-ACKs.</summary>
    public IPEndPoint AckSink => _ackSink.EndPoint;

    /// <summary>Starts a connection to each edge's mix port in <paramref name="edges"/>, <paramref name="packetsPerSecond"/> each.</summary>
    /// <param name="ackHop">The first hop of every SURB-ACK (a relay in front of <see cref="AckSink"/>); the sink itself when null.</param>
    public void Start(IReadOnlyList<IPEndPoint> edges, int packetsPerSecond, IPEndPoint? ackHop = null)
    {
        var hop = new NodeAddress(ackHop ?? AckSink);
        for (int edge = 0; edge < edges.Count; edge++)
        {
            int index = edge;
            _senders.Add(Task.Run(() => SendAsync(index, edges[index], packetsPerSecond, hop)));
        }
    }

    /// <summary>
    /// Stops sending, then waits until every message sent is acknowledged or no SURB-ACK came for
    /// 6 s (longer than a call's timeout and retry), at most 30 s, so what is stored is counted.
    /// </summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
        var quietSince = _ledger.Now;
        for (int acked = _ledger.AckedCount, waited = 0; waited < 300 && acked < _ledger.SentCount && _ledger.Now - quietSince < 6000; waited++)
        {
            await Task.Delay(100);
            if (_ledger.AckedCount != acked)
            {
                (acked, quietSince) = (_ledger.AckedCount, _ledger.Now);
            }
        }
    }

    private async Task SendAsync(int edge, IPEndPoint endPoint, int packetsPerSecond, NodeAddress ackHop)
    {
        MixSender? sender = null;
        long started = _ledger.Now;
        long sent = 0;
        int client = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                sender ??= await ConnectAsync(endPoint);
                if (sender is null)
                {
                    await Task.Delay(500, _stop.Token);
                    continue;
                }
                long due = (_ledger.Now - started) * packetsPerSecond / 1000;
                sent = Math.Max(sent, due - MaximumBacklog);
                try
                {
                    for (; sent < due && !_stop.IsCancellationRequested; sent++, client = (client + 1) % _clients.Count)
                    {
                        int sequence = _ledger.Send(edge, client);
                        await sender.SendPacketAsync(FinalHopPackets.Regular(_sphinxKey, _clients[client], Numbered(sequence, 64), ackHop, Numbered(sequence, PacketSizes.Ack)));
                    }
                }
                catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
                {
                    sender.Dispose();
                    sender = null;
                    continue;
                }
                await Task.Delay(Tick, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            sender?.Dispose();
        }
    }

    private async Task<MixSender?> ConnectAsync(IPEndPoint endPoint)
    {
        var connecting = _mix.Inside(() => MixSender.ConnectAsync(endPoint));
        try
        {
            return await connecting.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            _ = connecting.ContinueWith(t => t.Result.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);
            return null;
        }
    }

    private async Task ReceiveAcksAsync()
    {
        while (!_disposed)
        {
            try
            {
                var (_, _, packet) = await _ackSink.ReceiveAsync(TimeSpan.FromMilliseconds(500));
                _ledger.Acked(BinaryPrimitives.ReadInt32LittleEndian(packet));
            }
            catch (OperationCanceledException)
            {
                // nothing for half a second: look at _disposed again
            }
        }
    }

    private static byte[] Numbered(int sequence, int length)
    {
        var bytes = new byte[length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, sequence);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
        _disposed = true;
        await _acks;
        await _ackSink.DisposeAsync();
        _stop.Dispose();
    }
}
