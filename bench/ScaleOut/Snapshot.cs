using System.Diagnostics;
using System.Globalization;
using NymGateway.Fleet;

namespace NymGateway.ScaleOut;

/// <summary>Everything counted at one instant of a run; the difference of two is one steady window.</summary>
internal sealed record Snapshot(
    TimeSpan At,
    IReadOnlyDictionary<string, TimeSpan> CpuByHost,
    IReadOnlyDictionary<string, CpuThrottling> ThrottlingByHost,
    IReadOnlyDictionary<string, long> AcksByEdge,
    TimeSpan DriverCpu,
    double MachineBusySeconds,
    long Commits,
    long WalBytes)
{
    public static async Task<Snapshot> TakeAsync(ScaleFleet fleet, AckCounter acks, string database, Stopwatch clock)
    {
        var at = clock.Elapsed;
        var cpu = fleet.Groups.ToDictionary(g => g.Key.Name, g => g.Value.Usage);
        var throttling = fleet.Groups.ToDictionary(g => g.Key.Name, g => g.Value.Throttling);
        var byAddress = acks.ByEdge();
        var acked = fleet.Edges.ToDictionary(e => e.Name, e => byAddress.GetValueOrDefault(e.Address));
        var driver = Process.GetCurrentProcess().TotalProcessorTime;
        var busy = MachineBusy();
        var pg = await fleet.SqlAsync(database, "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), pg_current_wal_lsn() - '0/0'::pg_lsn");
        return new Snapshot(at, cpu, throttling, acked, driver, busy, long.Parse(pg[0], CultureInfo.InvariantCulture), (long)decimal.Parse(pg[1], CultureInfo.InvariantCulture));
    }

    /// <summary>CPU seconds the whole machine spent busy since boot (every process, everyone's: /proc/stat).</summary>
    private static double MachineBusy()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        long idle = fields[3] + fields[4]; // idle, iowait
        return (fields.Take(8).Sum() - idle) / 100.0; // USER_HZ
    }
}
