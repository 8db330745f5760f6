namespace NymGateway.Grains.Storage;

/// <summary>What <see cref="IGatewayStore.AppendAsync"/> says of each message.</summary>
public enum AppendOutcome : sbyte
{
    /// <summary>Another delivery recorded its replay tag within the window: a replay, not stored.</summary>
    Replayed = -1,

    /// <summary>An earlier attempt of the same delivery recorded it (its answer was lost): not again.</summary>
    StoredEarlier = 0,

    /// <summary>Recorded now: the message stored, or, for one already pushed, its replay tag alone.</summary>
    Stored = 1,
}
