namespace NymGateway.Fleet;

/// <summary>A slow, lossy link (this kernel has no netem): a fixed one-way delay, and a loss rate per chunk of bytes.</summary>
public sealed record LinkImpairment(TimeSpan Delay, double LossRate)
{
    /// <summary>Linux's minimum TCP retransmission timeout: how late a lost segment arrives.</summary>
    public static readonly TimeSpan RetransmissionTimeout = TimeSpan.FromMilliseconds(200);
}
