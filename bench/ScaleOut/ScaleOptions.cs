using System.Globalization;

namespace NymGateway.ScaleOut;

/// <summary>The benchmark's command line: `--name value` pairs, each with a default.</summary>
internal sealed record ScaleOptions
{
    public int[] Edges { get; init; } = [1, 2, 3];
    public int[] Silos { get; init; } = [1, 2];

    /// <summary>Each edge's CPU quota in cores (the same for every edge).</summary>
    public double EdgeCores { get; init; } = 0.2;

    public TimeSpan QuotaPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A window without load first, right after the clients registered: what each tier spends unloaded (soon after a start, JIT included).</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Load before the window, unmeasured: connections fill, tiered JIT finishes.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(8);

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(20);
    public int Clients { get; init; } = 128;
    public int ConnectionsPerEdge { get; init; } = 4;
    public int Frames { get; init; } = 200_000;
    public string Results { get; init; } = Path.Combine("bench", "ScaleOut", "results");

    public const string Usage = """
        ScaleOut [--edges 1,2,3] [--silos 1,2] [--edge-cores 0.2] [--period-ms 100] [--idle 4] [--warmup 8] [--window 20]
                 [--clients 128] [--connections 4] [--frames 200000] [--results bench/ScaleOut/results]
        Needs root (network namespaces, cgroup v1 cpu and cpuacct). Seconds for --idle, --warmup and --window.
        """;

    public static ScaleOptions Parse(string[] args)
    {
        var options = new ScaleOptions();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            }
            var value = args[i + 1];
            options = args[i] switch
            {
                "--edges" => options with { Edges = List(value) },
                "--silos" => options with { Silos = List(value) },
                "--edge-cores" => options with { EdgeCores = double.Parse(value, CultureInfo.InvariantCulture) },
                "--period-ms" => options with { QuotaPeriod = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                "--idle" => options with { Idle = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--window" => options with { Window = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--clients" => options with { Clients = int.Parse(value, CultureInfo.InvariantCulture) },
                "--connections" => options with { ConnectionsPerEdge = int.Parse(value, CultureInfo.InvariantCulture) },
                "--frames" => options with { Frames = int.Parse(value, CultureInfo.InvariantCulture) },
                "--results" => options with { Results = value },
                _ => throw new ArgumentException($"unknown option {args[i]}\n{Usage}"),
            };
        }
        return options;
    }

    private static int[] List(string value) => [.. value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
}
