using System.Diagnostics;
using System.Globalization;

namespace NymGateway.Load.Measure;

/// <summary>
/// One line on stderr, rewritten twice a second: phase, its elapsed time, the run's totals and the
/// rate of the counter the phase is about. When stderr is not a terminal, one line every 5 s instead.
/// </summary>
public sealed class ProgressLine : IAsyncDisposable
{
    private readonly RunCounters _counters;
    private readonly TextWriter _error;
    private readonly bool _rewrite;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _drawing;
    private readonly Lock _lock = new();
    private string _phase = "starting";
    private Func<RunCounters, long> _rated = c => c.Sent;
    private Stopwatch _clock = Stopwatch.StartNew();
    private int _width;

    public ProgressLine(RunCounters counters, TextWriter error, bool rewrite)
    {
        _counters = counters;
        _error = error;
        _rewrite = rewrite;
        _drawing = Task.Run(DrawAsync);
    }

    /// <param name="rated">The counter whose rate the line shows (acked while ingesting, pushed while pushing).</param>
    public void Phase(string name, Func<RunCounters, long> rated)
    {
        lock (_lock)
        {
            _phase = name;
            _rated = rated;
            _clock = Stopwatch.StartNew();
        }
    }

    /// <summary>A line of its own (a phase's result), above the progress line.</summary>
    public void Say(string line)
    {
        lock (_lock)
        {
            _error.WriteLine(_rewrite ? "\r" + line.PadRight(_width) : line);
        }
    }

    public static string Format(string phase, TimeSpan elapsed, long sent, long acked, long pushed, double rate) =>
        string.Create(CultureInfo.InvariantCulture, $"{phase,-16} {elapsed.TotalSeconds,6:F1} s  sent {sent,10:N0}  acked {acked,10:N0}  pushed {pushed,10:N0}  {rate,9:N0} msg/s");

    private async Task DrawAsync()
    {
        var period = TimeSpan.FromMilliseconds(_rewrite ? 500 : 5000);
        using var timer = new PeriodicTimer(period);
        long last = 0;
        string lastPhase = "";
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                lock (_lock)
                {
                    long now = _rated(_counters);
                    double rate = _phase == lastPhase ? (now - last) / period.TotalSeconds : 0;
                    (last, lastPhase) = (now, _phase);
                    var line = Format(_phase, _clock.Elapsed, _counters.Sent, _counters.Acked, _counters.Pushed, rate);
                    _width = Math.Max(_width, line.Length);
                    _error.Write(_rewrite ? "\r" + line.PadRight(_width) : line + "\n");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _drawing;
        if (_rewrite)
        {
            _error.WriteLine();
        }
        _stop.Dispose();
    }
}
