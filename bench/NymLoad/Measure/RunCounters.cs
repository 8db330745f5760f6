namespace NymGateway.Load.Measure;

/// <summary>The run's running totals, read by the progress line: frames sent, SURB-ACKs back, messages pushed.</summary>
public sealed class RunCounters
{
    private long _sent;
    private long _acked;
    private long _pushed;

    public long Sent => Interlocked.Read(ref _sent);
    public long Acked => Interlocked.Read(ref _acked);
    public long Pushed => Interlocked.Read(ref _pushed);

    public void AddSent(long count) => Interlocked.Add(ref _sent, count);
    public void AddAcked(long count) => Interlocked.Add(ref _acked, count);
    public void AddPushed() => Interlocked.Increment(ref _pushed);
}
