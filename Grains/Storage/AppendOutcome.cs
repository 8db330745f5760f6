namespace NymGateway.Grains.Storage;

/// <summary>What <see cref="IGatewayStore.AppendAsync"/> says of each message: its new store id (positive), or one of these.</summary>
public static class AppendOutcome
{
    /// <summary>An earlier attempt of the same delivery committed it (its answer was lost): stored, not again.</summary>
    public const long StoredEarlier = 0;

    /// <summary>Another delivery recorded its replay tag within the window: a replay, not stored.</summary>
    public const long Replayed = -1;
}
