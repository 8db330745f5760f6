namespace NymGateway.Grains;

/// <summary>
/// The age sweep of the whole cluster: one activation (key 0), which Orleans keeps single across
/// the silos, sweeps on its timer; every silo calls <see cref="KeepAlive"/> now and then, so it is
/// reactivated on another silo soon after its own died.
/// </summary>
public interface IInboxSweeperGrain : IGrainWithIntegerKey
{
    /// <summary>Activates the sweeper if it is not active (its timer then sweeps at once).</summary>
    Task KeepAlive();
}
