using System.Diagnostics;
using Npgsql;

namespace NymGateway.Tests.Cluster;

/// <summary>
/// The real PostgreSQL the cluster tests use: an instance of their own that scripts/postgres.sh
/// creates and scripts/test.sh starts, on 127.0.0.1 port $NYM_TEST_PG_PORT (25433). Never a server
/// the tests did not create, because the crash test restarts it. A test that cannot reach it fails
/// and says how to start it; it never skips.
/// </summary>
public static class PostgresServer
{
    /// <summary>One xunit collection for every test on the server: the crash test restarts it, so the others must not run meanwhile.</summary>
    public const string Collection = "PostgreSQL";

    // The default is also in scripts/test.sh.
    public static int Port { get; } = int.TryParse(Environment.GetEnvironmentVariable("NYM_TEST_PG_PORT"), out var port) ? port : 25433;

    public static string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=nymgateway;Username=nymgateway;Password=nymgateway;Timeout=5";

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
                $"The tests' PostgreSQL on 127.0.0.1:{Port} is not reachable ({ex.Message}). `bash scripts/test.sh` starts it; "
                + $"before a `dotnet test` of your own, start it with `NYM_PG_PORT={Port} bash scripts/postgres.sh`.", ex);
        }
    }

    /// <summary>Restarts the tests' instance; scripts/postgres.sh refuses an instance it did not create or that is not running.</summary>
    public static async Task RestartAsync()
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "scripts", "postgres.sh"));
        start.ArgumentList.Add("restart");
        start.Environment["NYM_PG_PORT"] = $"{Port}";
        start.Environment.Remove("NYM_PG_DATA"); // a user's own instance directory is not the tests'
        using var restart = Process.Start(start)!;
        var output = restart.StandardOutput.ReadToEndAsync();
        var error = restart.StandardError.ReadToEndAsync();
        await restart.WaitForExitAsync();
        if (restart.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh restart failed for port {Port}: {await error}{await output}");
        }
        NpgsqlConnection.ClearAllPools();
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
