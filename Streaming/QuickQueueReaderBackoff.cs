using Orleans.Runtime.Providers;

namespace NymGateway.Streaming;

/// <summary>
/// Retries a stream queue read after 200 ms, doubling up to 2 s. Orleans' default (10 to 20 s)
/// stalls every inbox stream for that long when the queue's silo dies.
/// </summary>
public sealed class QuickQueueReaderBackoff : IQueueReaderBackoffProvider
{
    public TimeSpan Next(int attempt) => TimeSpan.FromMilliseconds(Math.Min(2000, 200 * Math.Pow(2, Math.Clamp(attempt - 1, 0, 10))));
}
