using Microsoft.Extensions.Logging;
using NymGateway.Fleet;
using NymGateway.Mixnet;
using NymGateway.Mixnet.Localnet;
using NymGateway.Tests.EndToEnd;

namespace NymGateway.Tests.Localnet;

/// <summary>A localnet for one test, in a temporary directory, with the nym-gateway copied next to the tests.</summary>
public static class LocalnetRun
{
    /// <summary>
    /// Waits longer than 0.9.2 does, for the gateway's answers and for ACKs: on a busy 2-core
    /// machine a round trip can take longer than 1.5 s, and these tests count retransmissions.
    /// </summary>
    public static readonly MixnetClientOptions Patient = new()
    {
        GatewayResponseTimeout = TimeSpan.FromSeconds(10),
        AckWaitAddition = TimeSpan.FromSeconds(30),
    };

    public static Task<Mixnet.Localnet.Localnet> StartAsync(TemporaryHome home, string? clusterDatabase = null,
        int dropAckPackets = 0, MixnetClientOptions? client = null) =>
        Mixnet.Localnet.Localnet.StartAsync(new LocalnetOptions
        {
            Directory = Path.Combine(home.Path, "localnet"),
            GatewayCommand = ["dotnet", GatewayProcess.Dll],
            Ports = FreePorts.Take(LocalnetOptions.PortCount),
            ClusterDatabase = clusterDatabase,
            DropAckPackets = dropAckPackets,
            Client = client ?? Patient,
        }, LoggerFactory.Create(_ => { }));
}
