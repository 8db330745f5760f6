namespace NymGateway.ScaleOut;

/// <summary>
/// Cores per tier for a target rate, from each tier's CPU per message, idle spending included (right
/// after a start a silo's "idle" CPU is still tiered JIT and activations, so CPU above it is no
/// measure): the edges' and PostgreSQL's from every configuration, the silos' from those with
/// the most silos (a scaled-out cluster pays cross-silo calls), weighted by messages, so the busiest
/// configurations count most. Busy cores at 100 %, no headroom.
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
            Weighted(valid, r => r.EdgeCpuPer1000),
            Weighted(scaled, r => r.SiloCpuPer1000),
            Weighted(valid, r => r.PostgresCpuPer1000),
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
