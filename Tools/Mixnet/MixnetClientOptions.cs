namespace NymGateway.Mixnet;

/// <summary>
/// 0.9.2's client debug settings that matter without cover traffic: the average delay per hop
/// of a packet and of its ACK, and how long to wait for an ACK before retransmitting:
/// (delay of the packet and its ACK) * <see cref="AckWaitMultiplier"/> + <see cref="AckWaitAddition"/>.
/// </summary>
public sealed record MixnetClientOptions
{
    public TimeSpan AveragePacketDelay { get; init; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan AverageAckDelay { get; init; } = TimeSpan.FromMilliseconds(50);
    public double AckWaitMultiplier { get; init; } = 1.5;
    public TimeSpan AckWaitAddition { get; init; } = TimeSpan.FromMilliseconds(1_500);

    /// <summary>How long the gateway may take to answer a request.</summary>
    public TimeSpan GatewayResponseTimeout { get; init; } = TimeSpan.FromMilliseconds(1_500);

    public TimeSpan AckTimeout(ulong totalDelayNanos) =>
        TimeSpan.FromTicks((long)(totalDelayNanos * AckWaitMultiplier / 100)) + AckWaitAddition;
}
