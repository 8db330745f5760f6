using ScottPlot;

namespace NymGateway.Load.Report;

/// <summary>latency.png: each message's push latency by when it was sent in the latency phase, with p50 and p99 drawn across.</summary>
public static class LatencyPlot
{
    public static void Save(LatencyResult latency, string path)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(latency.Samples.Select(s => s.SentAtSeconds).ToArray(), latency.Samples.Select(s => s.Milliseconds).ToArray());
        points.MarkerSize = 2;
        points.LegendText = $"{latency.Push.Count:N0} messages at {latency.OfferedRate:N0} msg/s";
        var p50 = plot.Add.HorizontalLine(latency.Push.P50);
        p50.LegendText = $"p50 {latency.Push.P50:F2} ms";
        var p99 = plot.Add.HorizontalLine(latency.Push.P99);
        p99.LegendText = $"p99 {latency.Push.P99:F2} ms";
        p99.LinePattern = LinePattern.Dashed;
        plot.Title("Push latency: mix port in, websocket out");
        plot.XLabel("sent at (s into the latency phase)");
        plot.YLabel("latency (ms)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 600);
    }
}
