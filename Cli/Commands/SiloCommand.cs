using System.CommandLine;
using System.Net;
using NymGateway.Cli.Hosting;

namespace NymGateway.Cli.Commands;

/// <summary>`silo`: one silo of the gateway's cluster, on PostgreSQL.</summary>
public static class SiloCommand
{
    public static Command Create()
    {
        var advertise = new Option<string?>("--advertise") { Description = "IP address other silos and edges reach this silo on (default 127.0.0.1)" };
        return HostCommand.Create("silo", "Runs one silo of the gateway's Orleans cluster (PostgreSQL)", "Starting silo of gateway {0}...", needsPostgres: true,
            async (result, config, identity) =>
            {
                if (!IPAddress.TryParse(result.GetValue(advertise) ?? "127.0.0.1", out var address))
                {
                    throw new ArgumentException($"--advertise: '{result.GetValue(advertise)}' is not an IP address");
                }
                PortPreflight.EnsureFree([.. GatewayHostFactory.SiloListeners(config, IPAddress.Any), .. GatewayHostFactory.AdminListener(config)]);
                Console.WriteLine($"Role: silo; cluster id: {config.Cluster.ClusterId}; silo port {config.Cluster.SiloPort}, gateway port {config.Cluster.GatewayPort}, advertised on {address}");
                return await GatewayRunner.RunAsync(GatewayHostFactory.BuildClusterSilo(config, identity, address), gatewayLines: false, PrintReady);
            },
            advertise);
    }

    private static Task PrintReady(IServiceProvider services)
    {
        var membership = services.GetRequiredService<IClusterMembershipService>();
        int active = membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        Console.WriteLine($"Silo ready ({active} active silo(s) in the cluster)");
        return Task.CompletedTask;
    }
}
