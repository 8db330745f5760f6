namespace NymGateway.EdgeHost;

/// <summary>
/// What this edge learns about its connection to the silo cluster, for the inbox pumps.
/// </summary>
public sealed class ClusterChangeSignal : IClusterConnectionStatusObserver
{
    /// <summary>
    /// The set of silos this edge reaches changed (a silo joined or died) or the connection was
    /// lost: a stream notification may have died with a silo, so inboxes are re-read.
    /// </summary>
    public event Action? Changed;

    /// <summary>
    /// The connection came back after it was lost. Silos that gave up on this edge meanwhile
    /// removed its stream subscriptions, so the pumps subscribe again.
    /// </summary>
    public event Action? Reconnected;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        Changed?.Invoke();
        if (connectionRecovered)
        {
            Reconnected?.Invoke();
        }
    }

    public void NotifyClusterConnectionLost() => Changed?.Invoke();
}
