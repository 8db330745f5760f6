using System.Text.Json.Serialization;
using NymGateway.Load.Measure;
using NymGateway.Load.Traffic;

namespace NymGateway.Load.Report;

/// <summary>Everything one run measured; the report writers turn it into JSON, markdown and a plot.</summary>
public sealed record LoadResult(
    string Command,
    DateTime StartedUtc,
    string Machine,
    string LoadAverageAtStart,
    string LoadAverageAtEnd,
    string Gateway,
    RunSettings Settings,
    double FinalHopRate,
    IReadOnlyList<PhaseResult> Phases,
    LatencyResult? Latency,
    HandshakeResult? Handshakes,
    LegacyComparison? Legacy,
    IReadOnlyDictionary<string, long> Errors);

public sealed record RunSettings(string Mode, int Edges, double PhaseSeconds, int Clients, int Connections, int HandshakeClients);

/// <summary>
/// One phase: what was sent, acknowledged and pushed, the rate of the figure the phase is about
/// (<paramref name="Rate"/>, also as a ratio of the final-hop rate) and what each process spent;
/// <paramref name="FramesRanOut"/> when the phase ended early because its frames were spent.
/// </summary>
public sealed record PhaseResult(string Name, long Sent, long Acked, long Pushed, double Seconds, double Rate, double OfFinalHop, IReadOnlyList<ProcessUsage> Processes, bool FramesRanOut = false);

/// <summary>Push latency (mix port in to websocket out) at a paced rate; the samples feed the plot only.</summary>
public sealed record LatencyResult(double OfferedRate, Percentiles Push, [property: JsonIgnore] IReadOnlyList<LatencySample> Samples);

/// <summary>Ours against the 0.9.2 storage stand-in, on the same messages in the same run.</summary>
public sealed record LegacyComparison(double OursIngest, double LegacyIngest, double OursRetrieval, double LegacyRetrieval)
{
    public double IngestRatio => LegacyIngest > 0 ? OursIngest / LegacyIngest : 0;
    public double RetrievalRatio => LegacyRetrieval > 0 ? OursRetrieval / LegacyRetrieval : 0;
}
