namespace NymGateway.ScaleOut;

/// <summary>
/// Cores per tier for a target rate, from what one more message costs each tier above its idle
/// spending (at such rates a host's idle cost is small beside it, and it is listed apart): the
/// edges' and PostgreSQL's from every configuration (weighted by messages), the silos' from the
/// configurations with the most silos (a scaled-out cluster pays their cross-silo calls).
/// Busy cores at 100 %, no headroom.
/// </summary>
internal sealed record CapacityPlan(double EdgeCpuPerMessage, double SiloCpuPerMessage, double PostgresCpuPerMessage,
    double EdgeIdleCores, double SiloIdleCores, double PostgresIdleCores, double CommitsPerMessage, double WalBytesPerMessage, double EdgeCores)
{
    public static readonly double[] Rates = [10_000, 100_000, 1_000_000];

    public static CapacityPlan From(IReadOnlyList<ConfigurationResult> results)
    {
        var valid = results.Where(r => r.Acked > 0).ToList();
        int silos = valid.Max(r => r.Silos);
        var scaled = valid.Where(r => r.Silos == silos).ToList();
        double Weighted(IEnumerable<ConfigurationResult> rs, Func<ConfigurationResult, double> per1000) =>
            rs.Sum(r => per1000(r) * r.Acked) / rs.Sum(r => r.Acked) / 1000;
        return new CapacityPlan(
            Weighted(valid, r => r.MarginalEdgeCpuPer1000),
            Weighted(scaled, r => r.MarginalSiloCpuPer1000),
            Weighted(valid, r => r.MarginalPostgresCpuPer1000),
            valid.Average(r => r.EdgeIdleCores / r.Edges),
            valid.Average(r => r.SiloIdleCores / r.Silos),
            valid.Average(r => r.PostgresIdleCores),
            Weighted(valid, r => r.CommitsPerSecond / r.IngestPerSecond * 1000),
            Weighted(valid, r => r.WalBytesPerMessage * 1000),
            valid[0].EdgeCores);
    }

    public double EdgeCoresFor(double rate) => rate * EdgeCpuPerMessage;
    public double SiloCoresFor(double rate) => rate * SiloCpuPerMessage;
    public double PostgresCoresFor(double rate) => rate * PostgresCpuPerMessage;
    public int EdgesAtQuotaFor(double rate) => (int)Math.Ceiling(EdgeCoresFor(rate) / (EdgeCores - EdgeIdleCores));

    /// <summary>The rate one PostgreSQL primary of <paramref name="cores"/> busy cores carries, at the measured cost.</summary>
    public double PostgresLimit(double cores) => cores / PostgresCpuPerMessage;
}
