using System.Buffers.Binary;
using System.Text.Json;
using NymGateway.Fleet;
using NymGateway.Load.Measure;
using NymGateway.Load.Report;
using NymGateway.Load.Traffic;
using Xunit;

namespace NymGateway.Tests.Load;

[Trait("Category", "Unit")]
public sealed class LoadReportTests : IDisposable
{
    private readonly TemporaryHome _temporary = new("nym-load-report");

    [Fact]
    public void The_writers_produce_json_markdown_and_a_png_from_a_small_result()
    {
        var written = ReportWriter.Write(FakeResult(), _temporary.Path);

        Assert.Equal(["results.json", "results.md", "latency.png"], written.Select(Path.GetFileName));

        using var json = JsonDocument.Parse(File.ReadAllText(written[0]));
        Assert.Equal(40_000, json.RootElement.GetProperty("finalHopRate").GetDouble());
        Assert.Equal("offline ingest", json.RootElement.GetProperty("phases")[1].GetProperty("name").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("errors").GetProperty("AcksMissing").GetInt64());
        Assert.Equal(1.5, json.RootElement.GetProperty("legacy").GetProperty("ingestRatio").GetDouble(), 3);
        Assert.False(json.RootElement.GetProperty("latency").TryGetProperty("samples", out _)); // the plot's, not the JSON's

        var markdown = File.ReadAllLines(written[1]);
        var tables = Tables(markdown);
        Assert.Equal(6, tables.Count); // phases, latency, handshakes, stand-in, aims, errors
        foreach (var table in tables)
        {
            int columns = Cells(table[0]);
            Assert.All(table, row => Assert.Equal(columns, Cells(row)));
            Assert.Matches(@"^\|(\s*-+:?\s*\|)+$", table[1].Replace("---:", "---", StringComparison.Ordinal));
        }
        Assert.Contains(markdown, l => l.StartsWith("| offline ingest | 200,000 | 199,998 | 0 | 10.0 | 20,000 | 50 % ", StringComparison.Ordinal));
        Assert.EndsWith("| run 1.20, driver 0.60 | run 310, driver 900 | run 41, driver 23 |", markdown.Single(l => l.StartsWith("| live pushes (frames ran out) | 340,000 |", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(markdown, l => l == "| offline ingest (stored) | 20,000 | 13,333 | 1.50× |");
        Assert.Contains(markdown, l => l == "| push latency p99 at half the live rate < 5 ms | 9.00 ms | no |");

        var png = File.ReadAllBytes(written[2]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal(1200, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16))); // IHDR width
        Assert.Equal(600, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))); // and height
    }

    [Fact]
    public void Without_a_latency_phase_no_plot_is_written()
    {
        var written = ReportWriter.Write(FakeResult() with { Latency = null }, _temporary.Path);

        Assert.Equal(["results.json", "results.md"], written.Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(_temporary.Path, "latency.png")));
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        var p = Percentiles.Of(Enumerable.Range(1, 1000).Select(i => (double)i).Reverse());

        Assert.Equal(new Percentiles(1000, 500, 990, 999, 1000), p);
        Assert.Equal(new Percentiles(0, 0, 0, 0, 0), Percentiles.Of([]));
    }

    [Fact]
    public void The_aims_are_judged_against_their_bounds()
    {
        var aims = MarkdownReport.Aims(FakeResult()).ToDictionary(a => a.Aim, a => a.Met);

        Assert.False(aims["offline ingest ≥ 65 % of the final-hop rate"]); // 50 %
        Assert.True(aims["live pushes ≥ 80 % of the final-hop rate"]); // 85 %
        Assert.False(aims["push latency p99 at half the live rate < 5 ms"]); // 9 ms, single process
        Assert.True(MarkdownReport.Aims(FakeResult() with { Settings = FakeResult().Settings with { Mode = "Cluster" } })
            .Single(a => a.Aim.StartsWith("push latency", StringComparison.Ordinal)).Met); // 9 ms < 10 ms in a cluster
        Assert.True(aims["handshake reply p99 well under 1.5 s (a third of it)"]); // 120 ms
    }

    private static List<List<string>> Tables(string[] lines)
    {
        var tables = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (line.StartsWith('|'))
            {
                if (current is null)
                {
                    current = [];
                    tables.Add(current);
                }
                current.Add(line);
            }
            else
            {
                current = null;
            }
        }
        return tables;
    }

    private static int Cells(string row) => row.Count(c => c == '|') - 1;

    private static LoadResult FakeResult()
    {
        ProcessUsage[] usage = [new("run", 1.2, 310, 41), new("driver", 0.6, 900, 23)];
        var errors = Enum.GetValues<ErrorKind>().ToDictionary(k => k.ToString(), k => k == ErrorKind.AcksMissing ? 2L : 0L);
        var samples = Enumerable.Range(0, 500).Select(i => new LatencySample(i / 100.0, 1 + i % 9)).ToList();
        return new LoadResult("nym-load --seconds 10", new DateTime(2026, 12, 1, 15, 0, 0, DateTimeKind.Utc), "2 cores (test CPU), Linux", "0.50 0.40 0.30", "1.50 1.00 0.70",
            "single process (nym-gateway run, SQLite)", new RunSettings("Single", 0, 10, 32, 4, 4), 40_000,
            [
                new PhaseResult("final hop (driver)", 0, 0, 0, 5, 40_000, 1, usage),
                new PhaseResult("offline ingest", 200_000, 199_998, 0, 10, 20_000, 0.5, usage),
                new PhaseResult("live pushes", 340_000, 340_000, 340_000, 10, 34_000, 0.85, usage, FramesRanOut: true),
            ],
            new LatencyResult(17_000, Percentiles.Of(samples.Select(s => s.Milliseconds)), samples),
            new HandshakeResult(new Percentiles(40, 30, 120, 120, 130), new Percentiles(40, 10, 60, 60, 70), 0, 1500),
            new LegacyComparison(20_000, 20_000 / 1.5, 30_000, 10_000), errors);
    }

    public void Dispose() => _temporary.Dispose();
}
