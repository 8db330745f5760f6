using NymGateway.Fleet;
using NymGateway.Tests.EndToEnd;
using Xunit;

namespace NymGateway.Tests.Cluster;

/// <summary>A silo or edge that cannot reach PostgreSQL says so and keeps retrying instead of dying, and still stops gracefully.</summary>
[Trait("Category", "Cluster")]
[Collection(PostgresServer.Collection)]
public sealed class UnreachableDatabaseTests : IDisposable
{
    private readonly TemporaryHome _home = new("nym-gateway-nodb");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Silo_and_edge_report_an_unreachable_database_and_keep_retrying()
    {
        var ports = FreePorts.Take(5);
        var nowhere = $"Host=127.0.0.1;Port={ports[4]};Database=none;Username=none;Password=none;Timeout=2";
        var (exitCode, _) = await GatewayProcess.RunToEndAsync(_home.Path, "init", "--id", "x", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1",
            "--mix-port", $"{ports[0]}", "--clients-port", $"{ports[1]}", "--validator", "", "--database", nowhere);
        Assert.Equal(0, exitCode);

        using var silo = GatewayProcess.Start(_home.Path, "silo", "--id", "x", "--silo-port", $"{ports[2]}", "--gateway-port", $"{ports[3]}");
        await silo.WaitForAsync("Cannot reach the database", TimeSpan.FromSeconds(60));
        using var edge = GatewayProcess.Start(_home.Path, "edge", "--id", "x");
        await edge.WaitForAsync("Cannot reach the silo cluster", TimeSpan.FromSeconds(60));

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(silo.HasExited);
        Assert.False(edge.HasExited);
        Assert.DoesNotContain("Silo ready", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Finished nym gateway startup procedure", edge.Output, StringComparison.Ordinal);

        // Still waiting, both stop gracefully on SIGTERM (the signal is handled before the host starts).
        foreach (var host in new[] { silo, edge })
        {
            await host.SignalAndWaitAsync("TERM");
            Assert.Equal(0, host.ExitCode);
            Assert.Contains("Received SIGTERM", host.Output, StringComparison.Ordinal);
        }
    }
}
