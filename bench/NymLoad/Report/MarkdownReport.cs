using System.Globalization;
using System.Text;

namespace NymGateway.Load.Report;

/// <summary>results.md: the run's tables, every rate also as a ratio from the same run, and the issue's aims.</summary>
public static class MarkdownReport
{
    public static string Render(LoadResult r)
    {
        var md = new StringBuilder();
        md.Append(I($"`{r.Command}`: {r.StartedUtc:yyyy-MM-dd HH:mm} UTC, {r.Machine}, load average {r.LoadAverageAtStart} at the start and {r.LoadAverageAtEnd} at the end. "))
          .Append(I($"Gateway: {r.Gateway}; {r.Settings.Clients} clients, {r.Settings.Connections} mix connections, {r.Settings.PhaseSeconds:0.#} s phases. "))
          .Append(I($"Final-hop rate (Sphinx unwrap on all cores, in the driver): **{r.FinalHopRate:N0} packets/s**.\n\n"));

        md.Append("| phase | sent | acked | pushed | s | msg/s | / final-hop | CPU cores | peak RSS MiB | peak threads |\n|---|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        foreach (var p in r.Phases)
        {
            md.Append(I($"| {p.Name}{(p.FramesRanOut ? " (frames ran out)" : "")} | {p.Sent:N0} | {p.Acked:N0} | {p.Pushed:N0} | {p.Seconds:F1} | {p.Rate:N0} | {Percent(p.OfFinalHop)} "))
              .Append(I($"| {string.Join(", ", p.Processes.Select(u => I($"{u.Process} {u.Cores:F2}")))} | {string.Join(", ", p.Processes.Select(u => I($"{u.Process} {u.PeakRssMiB:N0}")))} | {string.Join(", ", p.Processes.Select(u => I($"{u.Process} {u.PeakThreads}")))} |\n"));
        }

        if (r.Latency is { } latency)
        {
            md.Append("\n| push latency | messages | p50 ms | p99 ms | p99.9 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n")
              .Append(I($"| at {latency.OfferedRate:N0} msg/s | {latency.Push.Count:N0} | {latency.Push.P50:F2} | {latency.Push.P99:F2} | {latency.Push.P999:F2} | {latency.Push.Max:F2} |\n"));
        }

        if (r.Handshakes is { } handshakes)
        {
            md.Append(I($"\n| reply during offline ingest | replies | p50 ms | p99 ms | max ms | p99 / {handshakes.ClientClockMs / 1000:0.#} s clock |\n|---|---:|---:|---:|---:|---:|\n"));
            foreach (var (name, p) in new[] { ("register (handshake)", handshakes.Register), ("authenticate", handshakes.Authenticate) })
            {
                md.Append(I($"| {name} | {p.Count:N0} | {p.P50:F1} | {p.P99:F1} | {p.Max:F1} | {Percent(p.P99 / handshakes.ClientClockMs, "F1")} |\n"));
            }
            md.Append(I($"\nFailed or unanswered within 10 s: {handshakes.Failures:N0}.\n"));
        }

        if (r.Legacy is { } legacy)
        {
            md.Append("\n| messages/s, same messages, same run | ours | 0.9.2 stand-in | ours / stand-in |\n|---|---:|---:|---:|\n")
              .Append(I($"| offline ingest (stored) | {legacy.OursIngest:N0} | {legacy.LegacyIngest:N0} | {legacy.IngestRatio:F2}× |\n"))
              .Append(I($"| backlog retrieval and delete | {legacy.OursRetrieval:N0} | {legacy.LegacyRetrieval:N0} | {legacy.RetrievalRatio:F2}× |\n"));
        }

        md.Append("\n| aim (issue 12) | measured | met |\n|---|---:|---|\n");
        foreach (var (aim, measured, met) in Aims(r))
        {
            md.Append(I($"| {aim} | {measured} | {(met ? "yes" : "no")} |\n"));
        }

        md.Append("\n| error | count |\n|---|---:|\n");
        foreach (var (kind, count) in r.Errors)
        {
            md.Append(I($"| {kind} | {count:N0} |\n"));
        }
        return md.ToString();
    }

    /// <summary>The issue's targets, each against this run's figure.</summary>
    public static IEnumerable<(string Aim, string Measured, bool Met)> Aims(LoadResult r)
    {
        foreach (var (phase, aim) in new[] { ("offline ingest", 0.65), ("live pushes", 0.80) })
        {
            if (r.Phases.FirstOrDefault(p => p.Name == phase) is { } p)
            {
                yield return ($"{phase} ≥ {Percent(aim)} of the final-hop rate", Percent(p.OfFinalHop), p.OfFinalHop >= aim);
            }
        }
        if (r.Latency is { } latency)
        {
            double bound = r.Settings.Mode == "Cluster" ? 10 : 5;
            yield return (I($"push latency p99 at half the live rate < {bound} ms"), I($"{latency.Push.P99:F2} ms"), latency.Push.P99 < bound);
        }
        if (r.Handshakes is { Register.Count: > 0 } h)
        {
            double worst = Math.Max(h.Register.P99, h.Authenticate.P99);
            yield return (I($"handshake reply p99 well under {h.ClientClockMs / 1000:0.#} s (a third of it)"), I($"{worst:F0} ms"), worst < h.ClientClockMs / 3 && h.Failures == 0);
        }
    }

    private static string Percent(double ratio, string format = "F0") => (ratio * 100).ToString(format, CultureInfo.InvariantCulture) + " %";

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
