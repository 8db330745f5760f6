using NymGateway.Fleet;
using NymGateway.Tests.EndToEnd;
using Xunit;

namespace NymGateway.Tests.Cluster;

/// <summary>A silo or edge given another gateway's keys refuses to join the cluster instead of dropping every packet.</summary>
[Trait("Category", "Cluster")]
[Collection(PostgresServer.Collection)]
public sealed class ClusterIdentityTests : IAsyncLifetime
{
    private readonly TemporaryHome _right = new("nym-gateway-identity");
    private readonly TemporaryHome _wrong = new("nym-gateway-identity");
    private readonly string _cluster = "identity-" + Guid.NewGuid().ToString("N")[..12];

    public Task InitializeAsync() => PostgresServer.EnsureReachableAsync();

    public async Task DisposeAsync()
    {
        await PostgresServer.ScalarAsync("DELETE FROM OrleansMembershipTable WHERE DeploymentId = @c", ("c", _cluster));
        await PostgresServer.ScalarAsync("DELETE FROM gateway_identity WHERE cluster_id = @c", ("c", _cluster));
        _right.Dispose();
        _wrong.Dispose();
    }

    [Fact]
    public async Task Hosts_with_other_keys_than_the_cluster_recorded_refuse_to_start()
    {
        var ports = FreePorts.Take(8);
        foreach (var home in new[] { _right, _wrong })
        {
            // Two separate inits: the same id and cluster, but each with fresh keys.
            var (exitCode, output) = await GatewayProcess.RunToEndAsync(home.Path, "init", "--id", "gw", "--mix-host", "127.0.0.1", "--clients-host", "127.0.0.1",
                "--validator", "", "--database", PostgresServer.ConnectionString, "--cluster-id", _cluster);
            Assert.True(exitCode == 0, output);
        }
        using var silo = GatewayProcess.Start(_right.Path, "silo", "--id", "gw", "--silo-port", $"{ports[0]}", "--gateway-port", $"{ports[1]}");
        await silo.WaitForAsync("Silo ready", TimeSpan.FromSeconds(90));

        var wrongSilo = await GatewayProcess.RunToEndAsync(_wrong.Path, "silo", "--id", "gw", "--silo-port", $"{ports[2]}", "--gateway-port", $"{ports[3]}");
        Assert.Equal(1, wrongSilo.ExitCode);
        Assert.Contains($"the key cluster '{_cluster}' serves", wrongSilo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Silo ready", wrongSilo.Output, StringComparison.Ordinal);

        var wrongEdge = await GatewayProcess.RunToEndAsync(_wrong.Path, "edge", "--id", "gw", "--mix-port", $"{ports[4]}", "--clients-port", $"{ports[5]}");
        Assert.Equal(1, wrongEdge.ExitCode);
        Assert.Contains($"the key cluster '{_cluster}' serves", wrongEdge.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Finished nym gateway startup procedure", wrongEdge.Output, StringComparison.Ordinal);

        using var rightEdge = GatewayProcess.Start(_right.Path, "edge", "--id", "gw", "--mix-port", $"{ports[6]}", "--clients-port", $"{ports[7]}");
        await rightEdge.WaitForAsync("Finished nym gateway startup procedure", TimeSpan.FromSeconds(90));
        Assert.False(silo.HasExited);
    }
}
