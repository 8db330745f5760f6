using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NymGateway.ScaleOut;

/// <summary>A run's results as JSON (every figure) and markdown (the tables docs/scale-out.md shows).</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<string> WriteAsync(string folder, ScaleOptions options, string command, IReadOnlyList<ConfigurationResult> results, string loadAtStart)
    {
        Directory.CreateDirectory(folder);
        var name = Path.Combine(folder, "scale-out-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var json = new { command, utc = DateTime.UtcNow, loadAtStart, options, results, capacity = results.Any(r => r.Acked > 0) ? CapacityPlan.From(results) : null };
        await File.WriteAllTextAsync(name + ".json", JsonSerializer.Serialize(json, Indented));
        await File.WriteAllTextAsync(name + ".md", Markdown(options, command, results, loadAtStart));
        return name;
    }

    public static string Markdown(ScaleOptions options, string command, IReadOnlyList<ConfigurationResult> results, string loadAtStart)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"`{command}` — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average at start {loadAtStart}; ")
          .Append(CultureInfo.InvariantCulture, $"each edge {F(options.EdgeCores)} core (CFS period {options.QuotaPeriod.TotalMilliseconds} ms), {options.Clients} offline clients, ")
          .Append(CultureInfo.InvariantCulture, $"{options.ConnectionsPerEdge} mix connections per edge, {options.Warmup.TotalSeconds} s warm-up, {options.Window.TotalSeconds} s window.\n\n");
        md.Append("| silos | edges | ingest msg/s | × 1 edge | per edge msg/s | edge quota use | throttled periods | CPU s / 1k msg: edge | silo | PostgreSQL | driver ")
          .Append("| idle cores: edges | silos | PostgreSQL | PG commits/s | WAL B/msg | machine busy cores | load avg | stored = acked |\n");
        md.Append("|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        foreach (var r in results)
        {
            var one = results.FirstOrDefault(o => o.Silos == r.Silos && o.Edges == 1);
            var ratio = one is { IngestPerSecond: > 0 } ? F(r.IngestPerSecond / one.IngestPerSecond, "0.00") + "×" : "–";
            md.Append(CultureInfo.InvariantCulture, $"| {r.Silos} | {r.Edges} | {F(r.IngestPerSecond, "0")} | {ratio} | {string.Join(" / ", r.IngestPerEdge.Select(e => F(e, "0")))} ")
              .Append(CultureInfo.InvariantCulture, $"| {string.Join(" / ", r.EdgeQuotaUse.Select(u => F(u * 100, "0") + " %"))} | {F(r.EdgeThrottledPeriods * 100, "0")} % ")
              .Append(CultureInfo.InvariantCulture, $"| {F(r.EdgeCpuPer1000, "0.000")} | {F(r.SiloCpuPer1000, "0.000")} | {F(r.PostgresCpuPer1000, "0.000")} | {F(r.DriverCpuPer1000, "0.000")} ")
              .Append(CultureInfo.InvariantCulture, $"| {F(r.EdgeIdleCores, "0.00")} | {F(r.SiloIdleCores, "0.00")} | {F(r.PostgresIdleCores, "0.00")} ")
              .Append(CultureInfo.InvariantCulture, $"| {F(r.CommitsPerSecond, "0")} | {F(r.WalBytesPerMessage, "0")} | {F(r.MachineBusyCores, "0.00")} | {r.LoadAverage} ")
              .Append(CultureInfo.InvariantCulture, $"| {(r.StoredAtEnd == r.AckedAtEnd ? "yes" : "no")} ({r.StoredAtEnd} / {r.AckedAtEnd}){(r.PoolRanOut ? ", frames ran out" : "")} |\n");
        }
        if (results.Any(r => r.Acked > 0))
        {
            var plan = CapacityPlan.From(results);
            md.Append(CultureInfo.InvariantCulture, $"\nCapacity at the measured cost (busy cores, no headroom): edge {F(plan.EdgeCpuPerMessage * 1e6, "0")} µs, ")
              .Append(CultureInfo.InvariantCulture, $"silo {F(plan.SiloCpuPerMessage * 1e6, "0")} µs, PostgreSQL {F(plan.PostgresCpuPerMessage * 1e6, "0")} µs of CPU per message; ")
              .Append(CultureInfo.InvariantCulture, $"idle, {F(plan.EdgeIdleCores, "0.00")} core per edge, {F(plan.SiloIdleCores, "0.00")} per silo, {F(plan.PostgresIdleCores, "0.00")} for PostgreSQL; ")
              .Append(CultureInfo.InvariantCulture, $"{F(plan.CommitsPerMessage, "0.000")} commits and {F(plan.WalBytesPerMessage, "0")} WAL bytes per message.\n\n");
            md.Append(CultureInfo.InvariantCulture, $"| msg/s | edge cores | edges at {F(plan.EdgeCores)} core | silo cores | PostgreSQL cores | PG commits/s | WAL MB/s |\n|---:|---:|---:|---:|---:|---:|---:|\n");
            foreach (var rate in CapacityPlan.Rates)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {F(rate, "#,0")} | {F(plan.EdgeCoresFor(rate), "0.0")} | {plan.EdgesAtQuotaFor(rate)} | {F(plan.SiloCoresFor(rate), "0.0")} ")
                  .Append(CultureInfo.InvariantCulture, $"| {F(plan.PostgresCoresFor(rate), "0.0")} | {F(rate * plan.CommitsPerMessage, "#,0")} | {F(rate * plan.WalBytesPerMessage / 1e6, "0")} |\n");
            }
            md.Append(CultureInfo.InvariantCulture, $"\nOne PostgreSQL primary at this cost: {F(plan.PostgresLimit(16), "#,0")} msg/s on 16 busy cores, {F(plan.PostgresLimit(64), "#,0")} msg/s on 64.\n");
        }
        return md.ToString();
    }

    private static string F(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);
}
