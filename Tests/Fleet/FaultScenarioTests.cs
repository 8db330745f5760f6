using System.Net;
using NymGateway.EdgeHost;
using NymGateway.Fleet;
using Xunit;
using Xunit.Abstractions;

namespace NymGateway.Tests.Fleet;

/// <summary>
/// What a fleet operator fears, each while traffic flows: restarts, partitions, a paused silo, a
/// bad link to the mix nodes and silos killed with SIGKILL. A stand-in mix node sends numbered
/// packets to 4 clients through both edges (50 a second per edge) and takes their SURB-ACKs; the
/// clients reconnect as 0.9.2 clients do (10 tries, 5 s apart). After the fault the clients
/// reconnect once more to drain what was stored. Every acknowledged message must have arrived
/// exactly once, no client may have given up, and where the fault heals, every path (edge,
/// client) must store again within <see cref="RecoveryBound"/> of the heal. Run one by name:
/// <c>--filter "FullyQualifiedName~FaultScenarioTests&amp;DisplayName~edge-cut-from-silos"</c>;
/// the output (<c>--logger "console;verbosity=detailed"</c>) says what happened and the figures.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class FaultScenarioTests(ITestOutputHelper output)
{
    private const int Clients = 4;
    private static readonly TimeSpan Cut = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long before a kill a message may have been sent and still be pushed twice: its push and
    /// its acknowledgement, or its 50 ms hold and write, were under way on the killed silo. Generous,
    /// for a loaded machine where a delivery can take seconds.
    /// </summary>
    private static readonly TimeSpan CrashWindow = TimeSpan.FromSeconds(10);

    /// <summary>"A couple of seconds": what a 0.9.2 client's 1.5 s patience and a mix node's retransmission can bear.</summary>
    private const long RecoveryBound = 3000;

    [Theory]
    [InlineData("rolling-restart")]
    [InlineData("edge-cut-from-silos")]
    [InlineData("silo-cut-from-postgres")]
    [InlineData("silo-cut-from-silos")]
    [InlineData("silo-paused")]
    [InlineData("slow-lossy-mix-link")]
    [InlineData("silo-kill-9")]
    public async Task Every_acknowledged_message_arrives_exactly_once(string scenario)
    {
        await using var cluster = await GatewayCluster.StartAsync(output.WriteLine, RepositoryRoot.Path, silos: scenario == "silo-cut-from-silos" ? 3 : 2, edges: 2);
        var run = new ScenarioRun(cluster, new DeliveryLedger(), output);
        await using (run)
        {
            await run.RegisterClientsAsync(Clients);
            var heal = scenario switch
            {
                "rolling-restart" => await RollingRestartAsync(run),
                "edge-cut-from-silos" => await EdgeCutFromSilosAsync(run),
                "silo-cut-from-postgres" => await SiloCutFromPostgresAsync(run),
                "silo-cut-from-silos" => await SiloCutFromSilosAsync(run),
                "silo-paused" => await SiloPausedAsync(run),
                "slow-lossy-mix-link" => await SlowLossyMixLinkAsync(run),
                "silo-kill-9" => await SiloKilledAsync(run),
                _ => throw new ArgumentException(scenario),
            };
            await run.StopAndDrainAsync();

            var ledger = run.Ledger;
            long? recovery = heal is null ? null : ledger.RecoveryAfter(heal.At, heal.Edges) ?? long.MaxValue;
            run.Say($"{scenario}: {ledger.Summary()}; client reconnects {run.Reconnects}, clients that gave up {run.Exhausted}" +
                (recovery is null ? "" : $"; every path stored again {recovery.Value} ms after the heal, " +
                    $"and went at most {ledger.LongestStallAfter(heal!.At, heal.Edges)} ms without storing after that"));
            // At least 2 s of the offered 100 packets/s acknowledged: on a busy machine a 12 s stall can hold most of a short scenario's packets unacknowledged (seen: 559 of 1,770 in CI).
            Assert.True(ledger.AckedCount > 200, $"too little traffic to judge: {ledger.Summary()}");
            Assert.True(ledger.Missing.Count == 0, $"acknowledged, never received: {ledger.Report(ledger.Missing.Take(20))}");
            // The stated window (README, crash semantics): only a message pushed shortly before its inbox's silo was killed may arrive twice.
            var duplicates = ledger.UnexplainedDuplicates(CrashWindow);
            Assert.True(duplicates.Count == 0, $"received twice: {ledger.Report(duplicates)}");
            Assert.Equal(0, ledger.AckCopies);
            Assert.Equal(0, ledger.Unknown);
            Assert.Equal(0, run.Exhausted);
            if (recovery is not null)
            {
                Assert.InRange(recovery.Value, 0, heal!.Bound); // MaxValue: some path never stored again
            }
        }
    }

    /// <summary>Every silo, then every edge: SIGTERM, start again, a few seconds of traffic before the next.</summary>
    private async Task<Heal?> RollingRestartAsync(ScenarioRun run)
    {
        await run.StartTrafficAsync();
        var cluster = run.Cluster;
        for (int i = 0; i < cluster.SiloHosts.Count; i++)
        {
            await cluster.Silo(i).SignalAndWaitAsync("TERM");
            await cluster.StartSiloAsync(i);
            run.Say($"silo{i + 1} restarted");
            await Task.Delay(Settle);
        }
        for (int i = 0; i < cluster.EdgeHosts.Count; i++)
        {
            await cluster.Edge(i).SignalAndWaitAsync("TERM");
            await cluster.StartEdgeAsync(i);
            run.Say($"edge{i + 1} restarted");
            await Task.Delay(Settle);
        }
        Assert.All(Enumerable.Range(0, cluster.SiloHosts.Count), i => Assert.False(cluster.Silo(i).HasExited));
        return null;
    }

    private async Task<Heal?> EdgeCutFromSilosAsync(ScenarioRun run)
    {
        await run.StartTrafficAsync();
        var edge = run.Cluster.EdgeHosts[0];
        await edge.BlockAsync([.. run.Cluster.SiloHosts.Select(s => s.Address)]);
        run.Say($"edge1 cut from the silos for {Cut.TotalSeconds} s");
        await Task.Delay(Cut);
        long heal = run.Ledger.Now;
        await edge.UnblockAsync();
        await Task.Delay(Settle);
        // Nothing of the cut outlives it on the silos: each closed its side of edge1's connection
        // (EdgeConnections.UnacknowledgedTimeout) and forgot edge1 (ClientDropTimeout) seconds into
        // it, so the answers go through the connections edge1 makes after the heal. What is left is
        // edge1 reconnecting: an attempt whose SYNs all fell into the cut ends at its
        // OpenConnectionTimeout before the next one connects, then the 3 s every path gets.
        // Seen: 0.17 to 1.9 s in 16 runs (before the silos closed idle connections too: up to
        // 5.9 s; before they closed any: 7 to 8 s in 5 of 17 runs, never in 1).
        return new Heal(heal, [0], Bound: (long)ClusterClientExtensions.OpenConnectionTimeout.TotalMilliseconds + RecoveryBound);
    }

    private async Task<Heal?> SiloCutFromPostgresAsync(ScenarioRun run)
    {
        await run.StartTrafficAsync();
        var silo = run.Cluster.SiloHosts[0];
        await silo.BlockAsync(run.Cluster.Db.Address);
        run.Say($"silo1 cut from PostgreSQL for {Cut.TotalSeconds} s");
        await Task.Delay(Cut);
        long heal = run.Ledger.Now;
        await silo.UnblockAsync();
        await Task.Delay(Settle);
        // A command sent into the cut waits out TCP's retransmission backoff past the heal: the
        // store's 5 s command timeout and Npgsql's 2 s cancellation bound it (with Npgsql's 30 s: 8 to 37 s).
        return new Heal(heal, [0, 1], Bound: 5000 + 2000 + RecoveryBound);
    }

    /// <summary>
    /// silo1 loses the other two silos, not PostgreSQL nor the edges: the others declare it dead,
    /// it must learn so and exit, and store nothing after the declaration. Recovery counts from the
    /// declaration: the survivors serve every path.
    /// </summary>
    private async Task<Heal?> SiloCutFromSilosAsync(ScenarioRun run)
    {
        await run.WatchWritesAsync();
        await run.StartTrafficAsync();
        var cluster = run.Cluster;
        await cluster.SiloHosts[0].BlockAsync([.. cluster.SiloHosts.Skip(1).Select(s => s.Address)]);
        long cut = run.Ledger.Now;
        run.Say("silo1 cut from the other silos");
        long declared = await run.WaitUntilDeclaredDeadAsync(cluster.SiloHosts[0].Address, TimeSpan.FromSeconds(60));
        Assert.True(await cluster.Silo(0).WaitForExitAsync(TimeSpan.FromSeconds(30)), "silo1 kept running after the cluster declared it dead");
        run.Ledger.Crashed(since: cut); // what it held when it exited is retried elsewhere
        run.Say($"silo1 exited {run.Ledger.Now - declared} ms after the cluster declared it dead");
        await Task.Delay(Settle);
        await run.AssertNoWritesAfterDeathAsync(cluster.SiloHosts[0].Address);
        // A call that was waiting on silo1 when it was declared dead fails at its timeout, then goes to a live silo.
        return new Heal(declared, [0, 1], Bound: (long)ClusterClientExtensions.ResponseTimeout.TotalMilliseconds + RecoveryBound);
    }

    /// <summary>silo1 frozen with SIGSTOP for 30 s, then SIGCONT: the cluster goes on without it meanwhile, and it must not write once declared dead.</summary>
    private async Task<Heal?> SiloPausedAsync(ScenarioRun run)
    {
        await run.WatchWritesAsync();
        await run.StartTrafficAsync();
        var silo = run.Cluster.Silo(0);
        await silo.SignalAsync("STOP");
        long paused = run.Ledger.Now;
        run.Say($"silo1 paused for {Pause.TotalSeconds} s");
        await Task.Delay(Pause);
        await silo.SignalAsync("CONT");
        run.Say($"silo1 resumed; while it was paused, the longest a path went without storing: {run.Ledger.LongestStall(0, 1)} ms; " +
            $"every path stored again {run.Ledger.RecoveryAfter(paused + 15_000, 0, 1)?.ToString() ?? "never"} ms after the pause's 15th second");
        long resumed = run.Ledger.Now;
        await Task.Delay(Settle);
        Assert.True(silo.HasExited, "silo1 resumed after the cluster declared it dead and kept running");
        run.Ledger.Crashed(since: paused);
        await run.AssertNoWritesAfterDeathAsync(run.Cluster.SiloHosts[0].Address);
        return new Heal(resumed, [0, 1]);
    }

    /// <summary>200 ms each way and 5 % loss on edge1's mix connection and on the SURB-ACKs' way back to the mix node.</summary>
    private async Task<Heal?> SlowLossyMixLinkAsync(ScenarioRun run)
    {
        var cluster = run.Cluster;
        var wan = await cluster.Network.AddHostAsync("wan", "10.0.0.42");
        var link = new LinkImpairment(TimeSpan.FromMilliseconds(200), 0.05);
        await using var toEdge = TcpRelay.StartImpaired(wan, GatewayCluster.MixPort, link, cluster.EdgeMixPorts[0]);
        await using var toMixNode = TcpRelay.StartImpaired(wan, GatewayCluster.MixPort + 1, link, run.Traffic.AckSink);
        await run.StartTrafficAsync([new IPEndPoint(wan.Address, GatewayCluster.MixPort), cluster.EdgeMixPorts[1]], new IPEndPoint(wan.Address, GatewayCluster.MixPort + 1));
        await Task.Delay(Cut);
        await run.Traffic.StopAsync();
        return null;
    }

    /// <summary>Three times: SIGKILL a silo (silo1, silo2, silo1), traffic on, start it again.</summary>
    private async Task<Heal?> SiloKilledAsync(ScenarioRun run)
    {
        await run.StartTrafficAsync();
        foreach (int i in new[] { 0, 1, 0 })
        {
            run.Cluster.Silo(i).Kill();
            run.Ledger.Crashed();
            run.Say($"silo{i + 1} killed (SIGKILL)");
            await Task.Delay(Settle);
            await run.Cluster.StartSiloAsync(i);
            await Task.Delay(Settle);
        }
        run.Say($"the longest a path went without storing: {run.Ledger.LongestStall(0, 1)} ms");
        return null;
    }

    /// <summary>When a fault healed (or the cluster went on without the faulty host), through which edges every path must store again, and how soon.</summary>
    private sealed record Heal(long At, int[] Edges, long Bound = RecoveryBound);
}
