using System.Diagnostics.Metrics;

namespace NymGateway.EdgeHost.Telemetry;

/// <summary>The edge's counters, exported through OpenTelemetry (meter "NymGateway.Edge").</summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "NymGateway.Edge";
    private readonly Meter _meter = new(MeterName);

    public GatewayMetrics()
    {
        PacketsReceived = _meter.CreateCounter<long>("nym.gateway.mix.packets_received", description: "Sphinx packets received from mix nodes");
        PacketsDropped = _meter.CreateCounter<long>("nym.gateway.mix.packets_dropped", description: "Packets dropped, by reason");
        MessagesStored = _meter.CreateCounter<long>("nym.gateway.inbox.messages_stored", description: "Messages committed to inboxes");
        MessagesPushed = _meter.CreateCounter<long>("nym.gateway.clients.messages_pushed", description: "Messages pushed to client websockets");
        PacketsForwarded = _meter.CreateCounter<long>("nym.gateway.forwarder.packets_sent", description: "Packets written to mix nodes");
        ForwardDropped = _meter.CreateCounter<long>("nym.gateway.forwarder.packets_dropped", description: "Packets dropped by the forwarder (queue full)");
        ClientsConnected = _meter.CreateUpDownCounter<long>("nym.gateway.clients.connected", description: "Authenticated client websockets");
    }

    public Counter<long> PacketsReceived { get; }
    public Counter<long> PacketsDropped { get; }
    public Counter<long> MessagesStored { get; }
    public Counter<long> MessagesPushed { get; }
    public Counter<long> PacketsForwarded { get; }
    public Counter<long> ForwardDropped { get; }
    public UpDownCounter<long> ClientsConnected { get; }

    public void Dispose() => _meter.Dispose();
}
