using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace NymGateway.EdgeHost;

/// <summary>Keeps an edge trying to reach its silo cluster, saying so in the host's own log about every 2 s.</summary>
public sealed partial class ClusterConnectionRetry(IOptions<ClusterOptions> cluster, ILogger<ClusterConnectionRetry> logger) : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogUnreachable(logger, cluster.Value.ClusterId, exception.Message);
        // Orleans calls this filter once per failed attempt and waits on it, so Polly cannot drive these
        // retries; 1.5–2.5 s keeps a restarted cluster from hearing every edge at once.
        await Task.Delay(TimeSpan.FromSeconds(1.5 + Random.Shared.NextDouble()), cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 450, Level = LogLevel.Warning, Message = "Cannot reach the silo cluster '{Cluster}' yet ({Error}); retrying in about 2s")]
    private static partial void LogUnreachable(ILogger logger, string cluster, string error);
}
