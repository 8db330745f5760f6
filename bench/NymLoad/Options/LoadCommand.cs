using System.CommandLine;
using System.CommandLine.Parsing;

namespace NymGateway.Load.Options;

/// <summary>The command line of nym-load: its options, their bounds, and one line for a bad one.</summary>
public static class LoadCommand
{
    public static RootCommand Create(Func<LoadOptions, CancellationToken, Task<int>> run)
    {
        var defaults = new LoadOptions();
        var mode = new Option<GatewayMode>("--mode") { Description = "single (nym-gateway run, SQLite) or cluster (1 silo and --edges edges, PostgreSQL)", DefaultValueFactory = _ => defaults.Mode };
        var edges = Bounded("--edges", "edge processes in cluster mode", defaults.Edges, 1, 8);
        var seconds = Bounded("--seconds", "length of each measured phase in seconds; each has a warm-up of up to 5 s before it", defaults.Phase.TotalSeconds, 1, 600);
        var clients = Bounded("--clients", "registered clients the messages go to", defaults.Clients, 1, 10_000);
        var connections = Bounded("--connections", "mix TCP connections, spread over the edges", defaults.Connections, 1, 256);
        var handshakes = Bounded("--handshake-clients", "clients registering and authenticating in a loop during offline ingest", defaults.HandshakeClients, 0, 256);
        var rate = new Option<double?>("--latency-rate")
        {
            Description = "messages/s in the latency phase (default: half the live push rate just measured)",
            CustomParser = r => Number(r, "--latency-rate", 0.001, 1e7),
        };
        var maxFrames = Bounded("--max-frames", "most frames built for one phase, about 2.4 KB each; a phase that spends them ends early", defaults.MaxFrames, 1000, 10_000_000);
        var output = new Option<string>("--output") { Description = "directory for results.json, results.md and latency.png", DefaultValueFactory = _ => defaults.Output };
        var database = new Option<string?>("--database") { Description = $"PostgreSQL connection string for cluster mode (default: $NYM_GATEWAY_DATABASE, else {LoadOptions.DefaultDatabase})" };
        var root = new RootCommand("nym-load: drives a nym-gateway (its own processes) through its wire protocols and reports ingest, pushes, latency and handshakes against the raw final-hop rate and a 0.9.2 storage stand-in")
        {
            mode, edges, seconds, clients, connections, handshakes, rate, maxFrames, output, database,
        };
        root.SetAction((result, cancellation) => run(new LoadOptions
        {
            Mode = result.GetValue(mode),
            Edges = result.GetValue(edges),
            Phase = TimeSpan.FromSeconds(result.GetValue(seconds)),
            Clients = result.GetValue(clients),
            Connections = result.GetValue(connections),
            HandshakeClients = result.GetValue(handshakes),
            LatencyRate = result.GetValue(rate),
            MaxFrames = result.GetValue(maxFrames),
            Output = result.GetValue(output)!,
            Database = result.GetValue(database) ?? DatabaseFromEnvironment(),
        }, cancellation));
        return root;
    }

    /// <summary>Parses and runs; a bad command line is one line on stderr and exit code 2.</summary>
    public static async Task<int> InvokeAsync(string[] args, Func<LoadOptions, CancellationToken, Task<int>> run, TextWriter error)
    {
        var parsed = Create(run).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // The parser's message may span lines (an enum's values): one line, so it is not buried.
            var message = string.Join(" ", parsed.Errors[0].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            await error.WriteLineAsync($"nym-load: {message} (nym-load --help lists the options)");
            return 2;
        }
        return await parsed.InvokeAsync();
    }

    private static string DatabaseFromEnvironment() =>
        Environment.GetEnvironmentVariable("NYM_GATEWAY_DATABASE") is { Length: > 0 } value ? value : LoadOptions.DefaultDatabase;

    private static Option<T> Bounded<T>(string name, string description, T value, T min, T max)
        where T : struct, System.Numerics.INumber<T> => new(name)
        {
            Description = $"{description} ({min}..{max}, default {value})",
            DefaultValueFactory = _ => value,
            CustomParser = r => Number(r, name, min, max) ?? value,
        };

    /// <summary>A number within bounds, or an error naming the option (instead of a .NET type name).</summary>
    private static T? Number<T>(ArgumentResult result, string name, T min, T max)
        where T : struct, System.Numerics.INumber<T>
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (T.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }
        result.AddError($"{name}: '{text}' is not a number within {min}..{max}");
        return null;
    }
}
