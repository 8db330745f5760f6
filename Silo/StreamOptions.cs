namespace NymGateway.Silo;

/// <summary>
/// How the inbox stream is pulled. Memory streams are pull-based: the poll period bounds push
/// latency from below and costs idle CPU as it shrinks.
/// </summary>
public sealed class InboxStreamOptions
{
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromMilliseconds(5);

    public int QueueCount { get; set; } = 2;
}
