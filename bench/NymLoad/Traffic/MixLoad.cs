using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NymGateway.Load.Measure;

namespace NymGateway.Load.Traffic;

/// <summary>
/// Mix nodes: TCP connections to the gateway's mix ports (round robin over the edges) that send a
/// pool's frames until it is spent or the time is up, either as fast as the gateway reads them
/// (its back-pressure sets the rate) or paced at a given rate, each frame on its own.
/// </summary>
public sealed class MixLoad(IReadOnlyList<IPEndPoint> mixEndPoints, int connections, RunCounters counters, ErrorCounts errors)
{
    // Frames per socket write at full rate: fewer system calls in the driver, which shares the machine.
    private const int FramesPerWrite = 16;

    /// <summary>Sends until the pool is spent or <paramref name="length"/> passed; the frames sent and how long that took.</summary>
    /// <param name="rate">Messages per second over all connections, or null for as fast as the gateway takes them.</param>
    public async Task<(long Sent, TimeSpan Elapsed)> SendAsync(MessageLedger ledger, TimeSpan length, double? rate, CancellationToken cancellation)
    {
        long sent = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            long mine = 0;
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(mixEndPoints[c % mixEndPoints.Count], cancellation);
                mine = rate is { } r
                    ? await PacedAsync(socket, ledger, r / connections, length, clock, cancellation)
                    : await FullRateAsync(socket, ledger, length, clock, cancellation);
            }
            catch (SocketException ex)
            {
                errors.Add(ex);
            }
            catch (OperationCanceledException)
            {
            }
            Interlocked.Add(ref sent, mine);
        }, CancellationToken.None)));
        return (sent, clock.Elapsed);
    }

    private async Task<long> FullRateAsync(Socket socket, MessageLedger ledger, TimeSpan length, Stopwatch clock, CancellationToken cancellation)
    {
        long mine = 0;
        var batch = new List<ArraySegment<byte>>(FramesPerWrite);
        while (clock.Elapsed < length)
        {
            batch.Clear();
            while (batch.Count < FramesPerWrite && ledger.Pool.Next() is (byte[] frame, int index))
            {
                ledger.MarkSent(index);
                batch.Add(frame);
            }
            if (batch.Count == 0)
            {
                break;
            }
            await socket.SendAsync(batch, SocketFlags.None).WaitAsync(cancellation);
            mine += batch.Count;
            counters.AddSent(batch.Count);
        }
        return mine;
    }

    private async Task<long> PacedAsync(Socket socket, MessageLedger ledger, double perSecond, TimeSpan length, Stopwatch clock, CancellationToken cancellation)
    {
        long mine = 0;
        while (clock.Elapsed < length)
        {
            var due = TimeSpan.FromSeconds(mine / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellation);
            }
            if (ledger.Pool.Next() is not (byte[] frame, int index))
            {
                break;
            }
            ledger.MarkSent(index);
            await socket.SendAsync(frame, SocketFlags.None, cancellation);
            mine++;
            counters.AddSent(1);
        }
        return mine;
    }
}
