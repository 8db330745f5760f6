namespace NymGateway.EdgeHost.Telemetry;

/// <summary>
/// Lets through at most <c>limit</c> log lines per interval, so a flood of bad packets cannot
/// flood the log; it reports how many were suppressed when the next window opens.
/// </summary>
public sealed class LogThrottle(int limit, TimeSpan interval)
{
    private readonly object _gate = new();
    private long _windowStart = Environment.TickCount64;
    private int _count;
    private int _suppressed;

    /// <summary>True when this line may be logged; <paramref name="suppressed"/> is how many were dropped before it.</summary>
    public bool TryEnter(out int suppressed)
    {
        lock (_gate)
        {
            long now = Environment.TickCount64;
            if (now - _windowStart >= (long)interval.TotalMilliseconds)
            {
                _windowStart = now;
                _count = 0;
            }
            if (_count < limit)
            {
                _count++;
                suppressed = _suppressed;
                _suppressed = 0;
                return true;
            }
            _suppressed++;
            suppressed = 0;
            return false;
        }
    }
}
