using Npgsql;

namespace NymGateway.Tests.Cluster;

/// <summary>
/// The real PostgreSQL the cluster tests use: $NYM_TEST_POSTGRES, else the one scripts/postgres.sh
/// starts. A test that cannot reach it fails and says how to start it; it never skips.
/// </summary>
public static class PostgresServer
{
    /// <summary>One xunit collection for every test on the server: the crash test restarts it, so the others must not run meanwhile.</summary>
    public const string Collection = "PostgreSQL";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("NYM_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=5432;Database=nymgateway;Username=nymgateway;Password=nymgateway;Timeout=5";

    public static async Task EnsureReachableAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable ({ex.Message}). Start it with `bash scripts/postgres.sh`, or point NYM_TEST_POSTGRES at a server.", ex);
        }
    }

    public static async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public static async Task<List<byte[]>> StoredMessagesAsync(string address)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT content FROM gateway_messages WHERE address = @a ORDER BY id", connection);
        command.Parameters.AddWithValue("a", address);
        var result = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add((byte[])reader[0]);
        }
        return result;
    }
}
