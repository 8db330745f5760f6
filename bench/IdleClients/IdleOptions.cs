using System.Globalization;

namespace NymGateway.IdleClients;

/// <summary>The benchmark's command line: `--name value` pairs, each with a default.</summary>
internal sealed record IdleOptions
{
    public int Clients { get; init; } = 20_000;
    public IReadOnlyList<GcSetting> Settings { get; init; } = [GcSetting.Named("shipped")];

    /// <summary>How long the connected clients stay idle before the storm, and how long after it the last sample waits.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections opened (and authenticated) at once.</summary>
    public int Parallel { get; init; } = 32;

    /// <summary>Where the gateway's home and the registered clients' keys are kept between runs (registering is the slow part).</summary>
    public string Directory { get; init; } = Path.Combine(Path.GetTempPath(), "nym-idle-clients");

    public string Results { get; init; } = Path.Combine("bench", "IdleClients", "results");

    public const string Usage = """
        IdleClients [--clients 20000] [--gc shipped,workstation,server,datas,conserve5,conserve7] [--idle 30] [--parallel 32]
                    [--dir /tmp/nym-idle-clients] [--results bench/IdleClients/results]
        Starts `nym-gateway run` (embedded SQLite) as a process of its own per GC setting, holds --clients authenticated
        websockets idle on it, disconnects them all at once, and samples its resident memory and GC heap. Seconds for --idle.
        Needs about 2 x clients open files: it raises its own limit (a user's up to the hard limit: `ulimit -Hn`; root's further).
        """;

    public static IdleOptions Parse(string[] args)
    {
        var options = new IdleOptions();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            }
            var value = args[i + 1];
            options = args[i] switch
            {
                "--clients" => options with { Clients = int.Parse(value, CultureInfo.InvariantCulture) },
                "--gc" => options with { Settings = [.. value.Split(',').Select(GcSetting.Named)] },
                "--idle" => options with { Idle = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--parallel" => options with { Parallel = int.Parse(value, CultureInfo.InvariantCulture) },
                "--dir" => options with { Directory = value },
                "--results" => options with { Results = value },
                _ => throw new ArgumentException($"unknown option {args[i]}\n{Usage}"),
            };
        }
        return options;
    }
}
