using System.Diagnostics.Metrics;
using NymGateway.EdgeHost.Forwarding;

namespace NymGateway.EdgeHost.Telemetry;

/// <summary>The edge's instruments, exported through OpenTelemetry (meter "NymGateway.Edge"); README.md lists them.</summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "NymGateway.Edge";

    /// <summary>Tags made once, so recording a drop or a push allocates nothing.</summary>
    public static readonly KeyValuePair<string, object?> Replay = new("reason", "Replay");
    public static readonly KeyValuePair<string, object?> MixListener = new("listener", "mix");
    public static readonly KeyValuePair<string, object?> ClientsListener = new("listener", "clients");
    public static readonly KeyValuePair<string, object?> PacketQuota = new("reason", "packet_quota");
    public static readonly KeyValuePair<string, object?> ByteQuota = new("reason", "byte_quota");
    public static readonly KeyValuePair<string, object?> FromStream = new("source", "stream");
    public static readonly KeyValuePair<string, object?> FromStore = new("source", "store");

    /// <summary>The forwarder's drop reasons, indexed by <see cref="ForwardDropReason"/>.</summary>
    private static readonly KeyValuePair<string, object?>[] ForwardDropReasons =
        [new("reason", "queue_full"), new("reason", "hop_unreachable"), new("reason", "hop_limit"), new("reason", "stopping")];

    private static readonly KeyValuePair<string, object?> PerIp = new("reason", "per_ip");
    private static readonly KeyValuePair<string, object?> Total = new("reason", "total");

    private readonly Meter _meter = new(MeterName);

    public GatewayMetrics()
    {
        PacketsReceived = _meter.CreateCounter<long>("nym.gateway.mix.packets_received", "{packet}", "Sphinx packets received from mix nodes");
        PacketsDropped = _meter.CreateCounter<long>("nym.gateway.mix.packets_dropped", "{packet}", "Packets from mix nodes dropped, by reason");
        MessagesStored = _meter.CreateCounter<long>("nym.gateway.inbox.messages_stored", "{message}", "Messages committed to inboxes");
        MessagesPushed = _meter.CreateCounter<long>("nym.gateway.clients.messages_pushed", "{message}", "Messages pushed to client websockets");
        PushDuration = _meter.CreateHistogram("nym.gateway.clients.push.duration", "s",
            "From a packet's arrival at an edge to the completed websocket send of its message, by source (stream: live; store: read back)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600] });
        ClientsConnected = _meter.CreateUpDownCounter<long>("nym.gateway.clients.connected", "{client}", "Authenticated client websockets");
        PacketsForwarded = _meter.CreateCounter<long>("nym.gateway.forwarder.packets_sent", "{packet}", "Packets written to mix nodes");
        ConnectionsRefused = _meter.CreateCounter<long>("nym.gateway.connections.refused", "{connection}", "Connections closed at once for a connection limit, by listener (mix, clients) and reason (per_ip, total)");
        ConnectionsTimedOut = _meter.CreateCounter<long>("nym.gateway.connections.timed_out", "{connection}", "Connections closed by a timeout, by listener (mix: idle; clients: no upgrade request)");
        RequestsRefused = _meter.CreateCounter<long>("nym.gateway.clients.requests_refused", "{request}", "ForwardSphinx requests refused for a client's send quota, by reason (packet_quota, byte_quota)");
        ForwardDropped = _meter.CreateCounter<long>("nym.gateway.forwarder.packets_dropped", "{packet}", "Packets the forwarder dropped, by reason (queue_full, hop_unreachable, hop_limit, stopping)");
    }

    public Counter<long> PacketsReceived { get; }
    public Counter<long> PacketsDropped { get; }
    public Counter<long> MessagesStored { get; }
    public Counter<long> MessagesPushed { get; }
    public Histogram<double> PushDuration { get; }
    public UpDownCounter<long> ClientsConnected { get; }
    public Counter<long> PacketsForwarded { get; }
    public Counter<long> ForwardDropped { get; }
    public Counter<long> ConnectionsRefused { get; }
    public Counter<long> ConnectionsTimedOut { get; }
    public Counter<long> RequestsRefused { get; }

    public void ConnectionRefused(KeyValuePair<string, object?> listener, ConnectionRefusal refusal) =>
        ConnectionsRefused.Add(1, listener, refusal == ConnectionRefusal.Total ? Total : PerIp);

    public static KeyValuePair<string, object?> Tag(ForwardDropReason reason) => ForwardDropReasons[(int)reason];

    /// <summary>The packets waiting in the forwarder's per-hop queues and its live hops, read at each collection.</summary>
    public void ObserveForwarder(Func<long> depth, Func<long> hops)
    {
        _meter.CreateObservableGauge("nym.gateway.forwarder.queue_depth", depth, "{packet}", "Packets queued for mix nodes, over all hops");
        _meter.CreateObservableGauge("nym.gateway.forwarder.hops", hops, "{hop}", "Next hops with a connection and queue");
    }

    public void Dispose() => _meter.Dispose();
}
