using System.CommandLine;
using System.Net;
using NymGateway.Cli.Hosting;

namespace NymGateway.Cli.Commands;

/// <summary>`run`: the whole gateway in one process on the embedded database (0.9.2's run).</summary>
public static class RunCommand
{
    public static Command Create() => HostCommand.Create("run", "Starts the gateway", "Starting gateway {0}...", needsPostgres: false,
        async (_, config, identity) =>
        {
            using var exclusive = DataDirectoryLock.Acquire(config.Resolve(config.Storage.SqlitePath));
            PortPreflight.EnsureFree([.. GatewayHostFactory.EdgeListeners(config), .. GatewayHostFactory.SiloListeners(config, IPAddress.Loopback)]);
            ConfigLoader.PrintStartup(config, identity);
            return await GatewayRunner.RunAsync(GatewayHostFactory.BuildSingleProcess(config, identity), gatewayLines: true);
        });
}
