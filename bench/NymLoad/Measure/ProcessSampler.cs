using System.Globalization;

namespace NymGateway.Load.Measure;

/// <summary>
/// CPU time (utime + stime from /proc/PID/stat) and resident memory (VmRSS from /proc/PID/status)
/// of each process of a run, sampled every 250 ms so a phase reports its cores used and peak RSS.
/// </summary>
public sealed class ProcessSampler : IAsyncDisposable
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly IReadOnlyList<(string Name, int Pid)> _processes;
    private readonly long[] _peakRss;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public ProcessSampler(IReadOnlyList<(string Name, int Pid)> processes)
    {
        _processes = processes;
        _peakRss = new long[processes.Count];
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>Starts a window: its <see cref="Window.End"/> gives each process's cores and peak RSS since.</summary>
    public Window Begin()
    {
        for (int i = 0; i < _processes.Count; i++)
        {
            Interlocked.Exchange(ref _peakRss[i], ResidentBytes(_processes[i].Pid));
        }
        return new Window(this, [.. _processes.Select(p => CpuSeconds(p.Pid))], DateTime.UtcNow);
    }

    public sealed class Window(ProcessSampler sampler, double[] cpuAtStart, DateTime start)
    {
        public IReadOnlyList<ProcessUsage> End()
        {
            double wall = (DateTime.UtcNow - start).TotalSeconds;
            return [.. sampler._processes.Select((p, i) => new ProcessUsage(p.Name,
                (CpuSeconds(p.Pid) - cpuAtStart[i]) / Math.Max(wall, 1e-3),
                Math.Max(Interlocked.Read(ref sampler._peakRss[i]), ResidentBytes(p.Pid)) / (1024.0 * 1024.0)))];
        }
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                for (int i = 0; i < _processes.Count; i++)
                {
                    long rss = ResidentBytes(_processes[i].Pid);
                    long peak;
                    while (rss > (peak = Interlocked.Read(ref _peakRss[i])) && Interlocked.CompareExchange(ref _peakRss[i], rss, peak) != peak)
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException)
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

    /// <summary>Resident memory in bytes; 0 once the process is gone.</summary>
    public static long ResidentBytes(int pid)
    {
        var status = Read($"/proc/{pid}/status");
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
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

/// <summary>One process over one phase: CPU cores used on average, and its peak resident memory.</summary>
public sealed record ProcessUsage(string Process, double Cores, double PeakRssMiB);
