using System.Data.Common;

namespace NymGateway.Grains.Storage;

/// <summary>
/// Applies the embedded scripts of sql/&lt;provider&gt;/ in name order, each once: a database
/// records the scripts it ran (gateway_schema_scripts), so a silo that starts against an
/// up-to-date database runs none. That matters because some take table locks (an ALTER TABLE on
/// the messages, an index on the tags): run at every start, they stalled every writer and
/// deadlocked with one. A released script never changes; a change is a new script. They stay
/// idempotent, for a database that ran them before they were recorded. On PostgreSQL one
/// transaction under an advisory lock, so silos starting together do not race.
/// </summary>
public static class SchemaScripts
{
    private const long PostgresLockKey = 0x4E796D47617465; // "NymGate"

    private const string Applied = "gateway_schema_scripts";

    public static async Task ApplyAsync(DbDataSource dataSource, StoreProvider provider, CancellationToken cancellationToken = default)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var folder = provider == StoreProvider.Sqlite ? ".sql.sqlite." : ".sql.postgres.";
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(folder, StringComparison.Ordinal))
            .Select(n => (Resource: n, Name: n[(n.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..]))
            .OrderBy(s => s.Name, StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (provider == StoreProvider.Postgres)
        {
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresLockKey});", cancellationToken);
        }
        await ExecuteAsync(connection, transaction, $"CREATE TABLE IF NOT EXISTS {Applied} (name TEXT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL);", cancellationToken);
        var applied = await AppliedAsync(connection, transaction, cancellationToken);
        foreach (var (resource, name) in scripts.Where(s => !applied.Contains(s.Name)))
        {
            await using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            await ExecuteAsync(connection, transaction, await reader.ReadToEndAsync(cancellationToken), cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = $"INSERT INTO {Applied} (name, applied_at) VALUES (@name, @at);";
            GatewayStore.Add(record, "name", name);
            GatewayStore.Add(record, "at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<HashSet<string>> AppliedAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT name FROM {Applied};";
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }
        return names;
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
