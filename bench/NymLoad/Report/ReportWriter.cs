namespace NymGateway.Load.Report;

/// <summary>Writes results.json, results.md and (when the latency phase ran) latency.png into one directory.</summary>
public static class ReportWriter
{
    public static IReadOnlyList<string> Write(LoadResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string> { Path.Combine(directory, "results.json"), Path.Combine(directory, "results.md") };
        File.WriteAllText(written[0], JsonReport.Render(result));
        File.WriteAllText(written[1], MarkdownReport.Render(result));
        if (result.Latency is { Samples.Count: > 0 } latency)
        {
            written.Add(Path.Combine(directory, "latency.png"));
            LatencyPlot.Save(latency, written[2]);
        }
        return written;
    }
}
