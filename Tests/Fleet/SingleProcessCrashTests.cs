using System.Net;
using NymGateway.Fleet;
using Xunit;
using Xunit.Abstractions;

namespace NymGateway.Tests.Fleet;

/// <summary>
/// The README's crash semantics for the single-process gateway (`nym-gateway run`, SQLite): it is
/// killed with SIGKILL twice while a stand-in mix node sends it 100 numbered packets a second for 3
/// connected clients and 2 offline ones, and started again on the same folder each time. The
/// connected clients reconnect as 0.9.2 clients do; the offline ones connect once traffic stopped.
/// Every acknowledged message must arrive, and a message may arrive twice only as the README's
/// table allows: sent shortly before a kill, pushed, and its push not yet written down.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class SingleProcessCrashTests(ITestOutputHelper output)
{
    private const string Id = "gw";
    private const int MixPort = 1789;
    private const int ClientsPort = 9000;
    private const int PacketsPerSecond = 100;
    private const int OnlineClients = 3;
    private const int OfflineClients = 2;
    private const int Kills = 2;
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long a step (clients reconnecting, every client storing again) may take: two 0.9.2 reconnect tries 5 s apart, to a gateway that takes seconds to start.</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(25);

    /// <summary>How long before a kill a message may have been sent and still arrive twice; generous, as the fleet's, for a loaded machine.</summary>
    private static readonly TimeSpan CrashWindow = TimeSpan.FromSeconds(10);

    /// <summary>The README's two windows for a loss after the SURB-ACK left: before a kill, and after a client gave up on its handshake; generous for a loaded machine.</summary>
    private static readonly TimeSpan LossWindow = TimeSpan.FromSeconds(3);

    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public async Task Kill_9_twice_under_traffic_loses_no_acknowledged_message()
    {
        await using var fleet = await FleetNetwork.CreateAsync(output.WriteLine);
        var host = await fleet.AddHostAsync("gw", "10.0.0.11");
        var clientHost = await fleet.AddHostAsync("client", "10.0.0.31");
        var mixHost = await fleet.AddHostAsync("mix", "10.0.0.41");
        string address = host.Address.ToString();
        await host.ExecAsync(NoEnvironment, FleetHost.NymGateway("init", "--id", Id, "--mix-host", address, "--clients-host", address,
            "--mix-port", $"{MixPort}", "--clients-port", $"{ClientsPort}", "--validator", ""));
        var folder = new GatewayFolder(host.Home, Id);
        var gateway = await StartAsync(host);

        var ledger = new DeliveryLedger();
        var clientsUri = new Uri($"ws://{address}:{ClientsPort}/");
        var online = new List<ReconnectingClient>();
        var offline = new List<ReconnectingClient>();
        try
        {
            for (int i = 0; i < OnlineClients; i++)
            {
                online.Add(await ReconnectingClient.RegisterAsync(clientHost, clientsUri, folder.Identity, ledger));
            }
            for (int i = 0; i < OfflineClients; i++)
            {
                offline.Add(await ReconnectingClient.RegisterOfflineAsync(clientHost, clientsUri, folder.Identity, ledger));
            }
            await using var traffic = new MixTraffic(mixHost, folder.SphinxKey, [.. online.Concat(offline).Select(c => c.AddressBytes)], ledger);
            traffic.Start([new IPEndPoint(host.Address, MixPort)], PacketsPerSecond);
            Say(ledger, $"traffic: {PacketsPerSecond} packets a second to {OnlineClients} connected and {OfflineClients} offline clients");

            long since = ledger.Now;
            for (int kill = 1; kill <= Kills; kill++)
            {
                await FlowingAsync(ledger, since);
                gateway.Kill();
                ledger.Crashed();
                Say(ledger, $"gateway killed (SIGKILL), {ledger.AckedCount} acknowledged so far");
                gateway = await StartAsync(host);
                since = ledger.Now;
                Say(ledger, "gateway started again on the same folder");
                int reconnects = kill;
                Assert.True(await WaitUntilAsync(() => online.All(c => c.Reconnects >= reconnects), StepTimeout),
                    $"the connected clients did not all reconnect after kill {kill}");
                Say(ledger, "every connected client reconnected");
            }
            await FlowingAsync(ledger, since);

            await traffic.StopAsync();
            foreach (var client in offline)
            {
                await client.ReconnectNowAsync();
            }
            await WaitUntilAsync(() => ledger.Missing.Count == 0, DrainTimeout);

            Say(ledger, $"{ledger.Summary()}; unexplained duplicates {ledger.UnexplainedDuplicates(CrashWindow).Count}; " +
                $"client reconnects {online.Sum(c => c.Reconnects)}; {ledger.MissingReport()}");
            Assert.True(ledger.AckedCount > 500, $"too little traffic to judge: {ledger.Summary()}");
            var missing = ledger.UnexplainedMissing(LossWindow);
            Assert.True(missing.Count == 0, $"acknowledged, never received: {ledger.Report(missing.Take(20))}");
            var duplicates = ledger.UnexplainedDuplicates(CrashWindow);
            Assert.True(duplicates.Count == 0, $"received twice: {ledger.Report(duplicates)}");
            Assert.Equal(0, ledger.AckCopies);
            Assert.Equal(0, ledger.Unknown);
            Assert.DoesNotContain(online, c => c.Exhausted);
        }
        finally
        {
            foreach (var client in online.Concat(offline))
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task<GatewayProcess> StartAsync(FleetHost host)
    {
        var gateway = host.Start(NoEnvironment, FleetHost.NymGateway("run", "--id", Id));
        await gateway.WaitForAsync("Finished nym gateway startup procedure", Startup);
        return gateway;
    }

    /// <summary>
    /// Waits until every client, offline ones too, had a message stored since <paramref name="since"/>,
    /// then a few seconds more: a kill then hits a gateway that is storing and pushing.
    /// </summary>
    private static async Task FlowingAsync(DeliveryLedger ledger, long since)
    {
        Assert.True(await WaitUntilAsync(() => ledger.RecoveryAfter(since, 0) is not null, StepTimeout),
            $"not every client had a message stored since {since / 1000.0:F1} s: {ledger.Summary()}");
        await Task.Delay(Settle);
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        for (var start = DateTime.UtcNow; !condition(); await Task.Delay(200))
        {
            if (DateTime.UtcNow - start > timeout)
            {
                return false;
            }
        }
        return true;
    }

    private void Say(DeliveryLedger ledger, string line) => output.WriteLine($"[{ledger.Now / 1000.0,7:F1} s] {line}");
}
