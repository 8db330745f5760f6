using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NymGateway.Cli.Hosting;
using Xunit;

namespace NymGateway.Tests.Hosting;

/// <summary>A host whose background service dies stops by itself and the process exits 1: no half-dead process that keeps listening.</summary>
[Trait("Category", "Unit")]
public sealed class GatewayRunnerTests
{
    private sealed class FailingService : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(100, stoppingToken);
            throw new InvalidOperationException("the validator address is not usable");
        }
    }

    [Fact]
    public async Task A_failed_background_service_stops_the_host_with_exit_code_1()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Services.AddHostedService<FailingService>();
        using var host = builder.Build();

        var exitCode = await GatewayRunner.RunAsync(host, gatewayLines: false).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
    }
}
