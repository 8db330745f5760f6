using Microsoft.Extensions.Logging;
using NymGateway.Mixnet;
using NymGateway.Mixnet.Localnet;
using NymGateway.Tests.EndToEnd;

namespace NymGateway.Tests.Localnet;

/// <summary>A localnet for one test, in a temporary directory, with the nym-gateway copied next to the tests.</summary>
public static class LocalnetRun
{
    public static Task<Mixnet.Localnet.Localnet> StartAsync(TemporaryHome home, string? clusterDatabase = null,
        int dropAckPackets = 0, MixnetClientOptions? client = null) =>
        Mixnet.Localnet.Localnet.StartAsync(new LocalnetOptions
        {
            Directory = Path.Combine(home.Path, "localnet"),
            GatewayCommand = ["dotnet", GatewayProcess.Dll],
            Ports = FreePorts.Take(LocalnetOptions.PortCount),
            ClusterDatabase = clusterDatabase,
            DropAckPackets = dropAckPackets,
            // A busy 2-core machine answers slower than 0.9.2's 1.5 s allows.
            Client = client ?? new MixnetClientOptions { GatewayResponseTimeout = TimeSpan.FromSeconds(10) },
        }, LoggerFactory.Create(_ => { }));
}
