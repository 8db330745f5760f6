namespace NymGateway.EdgeHost.Telemetry;

/// <summary>
/// Throttles one category of log line that remote peers can trigger at will (bad frames, bad
/// requests, failed MACs): the first <c>limit</c> lines of a window pass, the rest are counted,
/// and when a window that suppressed lines closes, one summary line says how many
/// ("… (N more suppressed in the last 10s)"), so a flood costs two lines per window.
/// </summary>
public sealed partial class LogThrottle
{
    private readonly ILogger _logger;
    private readonly string _what;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly string _windowText;
    private readonly int _limit;
    private readonly ITimer _windowEnd;
    private readonly Lock _gate = new();
    private long _windowStart;
    private bool _windowOpen;
    private int _passed;
    private int _suppressed;

    /// <param name="what">Names the category in the summary line, e.g. "Corrupted mix connection".</param>
    public LogThrottle(ILogger logger, string what, TimeProvider time, int limit = 1, TimeSpan? window = null)
    {
        _logger = logger;
        _what = what;
        _time = time;
        _limit = limit;
        _window = window ?? TimeSpan.FromSeconds(10);
        _windowText = $"{_window.TotalSeconds:0.###}s";
        _windowEnd = time.CreateTimer(_ => OnWindowEnd(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True when this line may be logged now; false when it is counted for the window's summary.</summary>
    public bool TryEnter() => TryEnter(1);

    /// <summary>As <see cref="TryEnter()"/> for a line about <paramref name="count"/> events (say, dropped packets): the summary counts events.</summary>
    public bool TryEnter(int count)
    {
        int unreported = 0;
        bool pass;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_windowStart, now);
            if (!_windowOpen || elapsed >= _window)
            {
                // A window closed whose timer has not run yet: report it before this line.
                unreported = TakeSuppressedLocked();
                _windowStart = now;
                _windowOpen = true;
                _passed = 0;
                elapsed = TimeSpan.Zero;
            }
            pass = _passed < _limit;
            if (pass)
            {
                _passed++;
            }
            else
            {
                if (_suppressed == 0)
                {
                    _windowEnd.Change(_window - elapsed, Timeout.InfiniteTimeSpan);
                }
                _suppressed += count;
            }
        }
        Summarize(unreported);
        return pass;
    }

    private void OnWindowEnd()
    {
        int suppressed;
        lock (_gate)
        {
            suppressed = TakeSuppressedLocked();
        }
        try
        {
            Summarize(suppressed);
        }
        catch (ObjectDisposedException)
        {
            // The window outlived its host (the timer fired after the logging providers were disposed); a throw here would end the process.
        }
    }

    private int TakeSuppressedLocked()
    {
        int suppressed = _suppressed;
        _suppressed = 0;
        return suppressed;
    }

    private void Summarize(int suppressed)
    {
        if (suppressed > 0)
        {
            LogSuppressed(_logger, _what, suppressed, _windowText);
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "{What} ({Suppressed} more suppressed in the last {Window})")]
    private static partial void LogSuppressed(ILogger logger, string what, int suppressed, string window);
}
