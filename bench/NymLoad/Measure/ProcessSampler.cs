using System.Globalization;

namespace NymGateway.Load.Measure;

/// <summary>
/// CPU time (utime + stime from /proc/PID/stat), resident memory and threads (VmRSS and Threads
/// from /proc/PID/status) of each process of a run, sampled every 250 ms so a phase reports its
/// cores used, peak RSS and peak threads (a thread pool that keeps adding threads is starved).
/// </summary>
public sealed class ProcessSampler : IAsyncDisposable
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly IReadOnlyList<(string Name, int Pid)> _processes;
    private readonly long[] _peakRss;
    private readonly long[] _peakThreads;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public ProcessSampler(IReadOnlyList<(string Name, int Pid)> processes)
    {
        _processes = processes;
        _peakRss = new long[processes.Count];
        _peakThreads = new long[processes.Count];
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>Starts a window: its <see cref="Window.End"/> gives each process's cores and peak RSS since.</summary>
    public Window Begin()
    {
        for (int i = 0; i < _processes.Count; i++)
        {
            var (rss, threads) = Status(_processes[i].Pid);
            Interlocked.Exchange(ref _peakRss[i], rss);
            Interlocked.Exchange(ref _peakThreads[i], threads);
        }
        return new Window(this, [.. _processes.Select(p => CpuSeconds(p.Pid))], DateTime.UtcNow);
    }

    public sealed class Window(ProcessSampler sampler, double[] cpuAtStart, DateTime start)
    {
        public IReadOnlyList<ProcessUsage> End()
        {
            double wall = (DateTime.UtcNow - start).TotalSeconds;
            sampler.Sample();
            return [.. sampler._processes.Select((p, i) => new ProcessUsage(p.Name,
                (CpuSeconds(p.Pid) - cpuAtStart[i]) / Math.Max(wall, 1e-3),
                Interlocked.Read(ref sampler._peakRss[i]) / (1024.0 * 1024.0),
                Interlocked.Read(ref sampler._peakThreads[i])))];
        }
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sample()
    {
        for (int i = 0; i < _processes.Count; i++)
        {
            var (rss, threads) = Status(_processes[i].Pid);
            RaiseTo(ref _peakRss[i], rss);
            RaiseTo(ref _peakThreads[i], threads);
        }
    }

    private static void RaiseTo(ref long peak, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
        {
        }
    }

    /// <summary>User plus system CPU seconds of a process so far; 0 once it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat is null)
        {
            return 0;
        }
        // The command name (field 2) may hold spaces: count fields from the ')' that ends it; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Resident bytes and threads of a process now; zeros once it is gone.</summary>
    public static (long ResidentBytes, long Threads) Status(int pid)
    {
        long rss = 0, threads = 0;
        foreach (var line in Read($"/proc/{pid}/status")?.Split('\n') ?? [])
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = long.Parse(line[8..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        return (rss, threads);
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}

/// <summary>One process over one phase: CPU cores used on average, its peak resident memory and its peak thread count.</summary>
public sealed record ProcessUsage(string Process, double Cores, double PeakRssMiB, long PeakThreads);
