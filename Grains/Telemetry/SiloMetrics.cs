using System.Diagnostics.Metrics;

namespace NymGateway.Grains.Telemetry;

/// <summary>The silo's instruments (meter "NymGateway.Silo"): the store's commits and errors, and what it holds; README.md lists them.</summary>
public sealed class SiloMetrics : IDisposable
{
    public const string MeterName = "NymGateway.Silo";

    /// <summary>Tags made once, so counting an error allocates nothing.</summary>
    public static readonly KeyValuePair<string, object?> Commit = new("operation", "commit");
    public static readonly KeyValuePair<string, object?> Read = new("operation", "read");

    private readonly Meter _meter = new(MeterName);
    private long _storedMessages = -1;
    private long _registeredClients = -1;

    public SiloMetrics()
    {
        CommitDuration = _meter.CreateHistogram("nym.gateway.store.commit.duration", "s",
            "One group commit of the store's writer, from opening the transaction to its commit",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        CommitWrites = _meter.CreateHistogram<int>("nym.gateway.store.commit.writes", "{write}",
            "Queued writes (appends and deletes) one group commit carried",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        StoreErrors = _meter.CreateCounter<long>("nym.gateway.store.errors", "{error}", "Store operations that failed, by operation (commit, read)");
        _meter.CreateObservableGauge("nym.gateway.inbox.stored_messages", () => Known(Volatile.Read(ref _storedMessages)), "{message}",
            "Messages stored in all inboxes (the whole database, counted every 10 s)");
        _meter.CreateObservableGauge("nym.gateway.clients.registered", () => Known(Volatile.Read(ref _registeredClients)), "{client}",
            "Clients in the ledger (the whole database, counted every 10 s)");
    }

    public Histogram<double> CommitDuration { get; }
    public Histogram<int> CommitWrites { get; }
    public Counter<long> StoreErrors { get; }

    /// <summary>The latest totals read from the database.</summary>
    public void SetTotals(long storedMessages, long registeredClients)
    {
        Volatile.Write(ref _storedMessages, storedMessages);
        Volatile.Write(ref _registeredClients, registeredClients);
    }

    /// <summary>No measurement until the first count came back, rather than a false zero.</summary>
    private static IEnumerable<Measurement<long>> Known(long value) => value < 0 ? [] : [new Measurement<long>(value)];

    public void Dispose() => _meter.Dispose();
}
