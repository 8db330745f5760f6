using System.Net;
using NymGateway.Load.Measure;
using NymGateway.Tools;

namespace NymGateway.Load.Traffic;

/// <summary>
/// The SURB-ACKs' first hop: counts the ACK frames the gateway forwards. The gateway forwards a
/// message's SURB-ACK only once it is stored or delivered, so on offline clients the count is the stored rate.
/// </summary>
public sealed class AckCounter : IAsyncDisposable
{
    private readonly FrameListener _listener;

    public AckCounter(RunCounters counters)
    {
        _listener = new FrameListener(new IPEndPoint(IPAddress.Loopback, 0), _ =>
        {
            counters.AddAcked(1);
            return ValueTask.CompletedTask;
        });
        _listener.Start();
    }

    public IPEndPoint EndPoint => _listener.EndPoint;

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
