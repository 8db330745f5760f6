using System.Data.Common;

namespace NymGateway.Grains.Storage;

/// <summary>
/// Applies the embedded scripts of sql/&lt;provider&gt;/ in name order; they are idempotent. On
/// PostgreSQL one transaction under an advisory lock, so silos starting together do not race.
/// </summary>
public static class SchemaScripts
{
    private const long PostgresLockKey = 0x4E796D47617465; // "NymGate"

    public static async Task ApplyAsync(DbDataSource dataSource, StoreProvider provider, CancellationToken cancellationToken = default)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var folder = provider == StoreProvider.Sqlite ? ".sql.sqlite." : ".sql.postgres.";
        var names = assembly.GetManifestResourceNames().Where(n => n.Contains(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (provider == StoreProvider.Postgres)
        {
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresLockKey});", cancellationToken);
        }
        foreach (var name in names)
        {
            await using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            await ExecuteAsync(connection, transaction, await reader.ReadToEndAsync(cancellationToken), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 300; // the store's short command timeout is for the hot path
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
