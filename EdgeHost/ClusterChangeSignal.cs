namespace NymGateway.EdgeHost;

/// <summary>
/// Raised when the set of silos this edge reaches changes (a silo joined or died) or the
/// connection to the cluster was lost. Inbox pumps re-read their client's stored inbox then,
/// since a stream notification may have died with a silo.
/// </summary>
public sealed class ClusterChangeSignal : IClusterConnectionStatusObserver
{
    public event Action? Changed;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) => Changed?.Invoke();

    public void NotifyClusterConnectionLost() => Changed?.Invoke();
}
