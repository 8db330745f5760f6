using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace NymGateway.EdgeHost;

/// <summary>Keeps an edge trying to reach its silo cluster, saying so in the host's own log every 2 s.</summary>
public sealed partial class ClusterConnectionRetry(IOptions<ClusterOptions> cluster, ILogger<ClusterConnectionRetry> logger) : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogUnreachable(logger, cluster.Value.ClusterId, exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 450, Level = LogLevel.Warning, Message = "Cannot reach the silo cluster '{Cluster}' yet ({Error}); retrying in 2s")]
    private static partial void LogUnreachable(ILogger logger, string cluster, string error);
}
