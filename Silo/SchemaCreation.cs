using Microsoft.Extensions.Logging;
using NymGateway.Grains.Storage;

namespace NymGateway.Silo;

/// <summary>
/// Creates or updates the gateway's tables (and, on PostgreSQL, Orleans' own) as the silo's first
/// step, before its membership, listeners and grains start; retries with a clear line while the
/// database is unreachable, until the start is cancelled (a signal).
/// </summary>
public sealed partial class SchemaCreation(IGatewayStore store, ILogger<SchemaCreation> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Before <see cref="ServiceLifecycleStage.RuntimeInitialize"/>, where the membership table is first read.</summary>
    public const int Stage = ServiceLifecycleStage.RuntimeInitialize - 2;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(SchemaCreation), Stage, CreateAsync);

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await store.CreateSchemaAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or System.Net.Sockets.SocketException)
            {
                LogDatabaseUnreachable(logger, ex.Message);
                // Stopped while waiting: not a failure (the host goes on to stop, gracefully).
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 630, Level = LogLevel.Warning, Message = "Cannot reach the database: {Error}. Retrying in 2s")]
    private static partial void LogDatabaseUnreachable(ILogger logger, string error);
}
