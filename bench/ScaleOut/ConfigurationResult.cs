namespace NymGateway.ScaleOut;

/// <summary>One configuration's steady window: the stored rate and what each tier's CPU groups spent on it.</summary>
internal sealed record ConfigurationResult(
    int Silos,
    int Edges,
    double EdgeCores,
    double WindowSeconds,
    long Acked,
    double IngestPerSecond,
    double[] IngestPerEdge,
    double EdgeCpuPer1000,
    double SiloCpuPer1000,
    double PostgresCpuPer1000,
    double DriverCpuPer1000,
    double[] EdgeQuotaUse,
    double EdgeThrottledPeriods,
    double EdgeIdleCores,
    double SiloIdleCores,
    double PostgresIdleCores,
    double SiloCores,
    double PostgresCores,
    double DriverCores,
    double MachineBusyCores,
    double CommitsPerSecond,
    double WalBytesPerMessage,
    long StoredAtEnd,
    long AckedAtEnd,
    string LoadAverage,
    bool PoolRanOut)
{
    public static ConfigurationResult From(int silos, int edges, double edgeCores, ScaleFleet fleet, Snapshot idleStart, Snapshot idleEnd, Snapshot start, Snapshot end,
        long storedAtEnd, long ackedAtEnd, string loadAverage, bool poolRanOut)
    {
        double seconds = (end.At - start.At).TotalSeconds;
        var edgeHosts = fleet.Edges.Take(edges).Select(h => h.Name).ToList();
        var siloHosts = fleet.Silos.Take(silos).Select(h => h.Name).ToList();
        double Cpu(string host) => (end.CpuByHost[host] - start.CpuByHost[host]).TotalSeconds;
        double IdleCores(IEnumerable<string> hosts) => hosts.Sum(h => (idleEnd.CpuByHost[h] - idleStart.CpuByHost[h]).TotalSeconds) / (idleEnd.At - idleStart.At).TotalSeconds;
        long acked = edgeHosts.Sum(h => end.AcksByEdge[h] - start.AcksByEdge[h]);
        double per1000 = Math.Max(acked, 1) / 1000.0;
        double edgeCpu = edgeHosts.Sum(Cpu), siloCpu = siloHosts.Sum(Cpu), pgCpu = Cpu(fleet.Database.Name);
        double driverCpu = (end.DriverCpu - start.DriverCpu).TotalSeconds;
        var throttled = edgeHosts.Select(h => end.ThrottlingByHost[h] - start.ThrottlingByHost[h]).ToList();
        return new ConfigurationResult(silos, edges, edgeCores, seconds, acked, acked / seconds,
            [.. edgeHosts.Select(h => (end.AcksByEdge[h] - start.AcksByEdge[h]) / seconds)],
            edgeCpu / per1000, siloCpu / per1000, pgCpu / per1000, driverCpu / per1000,
            [.. edgeHosts.Select(h => Cpu(h) / seconds / edgeCores)],
            throttled.Sum(t => (double)t.Throttled) / Math.Max(1, throttled.Sum(t => t.Periods)),
            IdleCores(edgeHosts), IdleCores(siloHosts), IdleCores([fleet.Database.Name]),
            siloCpu / seconds, pgCpu / seconds, driverCpu / seconds,
            (end.MachineBusySeconds - start.MachineBusySeconds) / seconds,
            (end.Commits - start.Commits) / seconds,
            (end.WalBytes - start.WalBytes) / (double)Math.Max(acked, 1),
            storedAtEnd, ackedAtEnd, loadAverage, poolRanOut);
    }

}
