namespace NymGateway.EdgeHost.Clients;

/// <summary>Which send quota refused a client's request.</summary>
public enum SendRefusal
{
    None,
    Packets,
    Bytes,
}

/// <summary>
/// One client's ForwardSphinx quota: at most so many requests and bytes per fixed interval.
/// Over it, new requests are refused (never queued): the gateway holds nothing extra for a
/// flooding client, and what it already accepted keeps its success response.
/// </summary>
public sealed class SendQuota(EdgeLimits limits, TimeProvider time)
{
    private long _intervalStart = time.GetTimestamp();
    private int _packets;
    private long _bytes;

    /// <summary>Counts a request of <paramref name="bytes"/> when it fits this interval's quota; otherwise says which quota it is over.</summary>
    public bool TryTake(int bytes, out SendRefusal refusal)
    {
        long now = time.GetTimestamp();
        if (time.GetElapsedTime(_intervalStart, now) >= limits.ClientQuotaInterval)
        {
            _intervalStart = now;
            _packets = 0;
            _bytes = 0;
        }
        refusal = _packets >= limits.MaxClientPacketsPerInterval ? SendRefusal.Packets
            : _bytes + bytes > limits.MaxClientBytesPerInterval ? SendRefusal.Bytes
            : SendRefusal.None;
        if (refusal != SendRefusal.None)
        {
            return false;
        }
        _packets++;
        _bytes += bytes;
        return true;
    }
}
