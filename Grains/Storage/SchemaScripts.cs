using System.Data.Common;

namespace NymGateway.Grains.Storage;

/// <summary>Applies the embedded scripts of sql/&lt;provider&gt;/ in name order; they are idempotent.</summary>
public static class SchemaScripts
{
    public static async Task ApplyAsync(DbDataSource dataSource, StoreProvider provider, CancellationToken cancellationToken = default)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var folder = provider == StoreProvider.Sqlite ? ".sql.sqlite." : ".sql.postgres.";
        var names = assembly.GetManifestResourceNames().Where(n => n.Contains(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var name in names)
        {
            await using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            await using var command = connection.CreateCommand();
            command.CommandText = await reader.ReadToEndAsync(cancellationToken);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
