using System.Globalization;
using System.Net;
using NymGateway.Fleet;
using Xunit;
using Xunit.Abstractions;

namespace NymGateway.Tests.Fleet;

/// <summary>One fault scenario's clients, traffic and database checks on a running cluster, with what happened said as it happens.</summary>
public sealed class ScenarioRun(GatewayCluster cluster, DeliveryLedger ledger, ITestOutputHelper output) : IAsyncDisposable
{
    private const int PacketsPerSecondPerEdge = 50;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private readonly List<ReconnectingClient> _clients = [];

    public GatewayCluster Cluster => cluster;
    public DeliveryLedger Ledger => ledger;
    public MixTraffic Traffic { get; private set; } = null!;

    public int Reconnects => _clients.Sum(c => c.Reconnects);
    public int Exhausted => _clients.Count(c => c.Exhausted);

    /// <summary>A line in the test's output, stamped with the ledger's clock.</summary>
    public void Say(string line) => output.WriteLine($"[{ledger.Now / 1000.0,7:F1} s] {line}");

    public async Task RegisterClientsAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _clients.Add(await ReconnectingClient.RegisterAsync(cluster.ClientHost, cluster.ClientsUri, cluster.Identity, ledger));
        }
        Traffic = new MixTraffic(cluster.MixHost, cluster.SphinxKey, [.. _clients.Select(c => c.AddressBytes)], ledger);
    }

    /// <summary>Starts the mix connections (to every edge unless <paramref name="edges"/> says where) and lets them run a few seconds.</summary>
    public async Task StartTrafficAsync(IReadOnlyList<IPEndPoint>? edges = null, IPEndPoint? ackHop = null)
    {
        Traffic.Start(edges ?? cluster.EdgeMixPorts, PacketsPerSecondPerEdge, ackHop);
        Say($"traffic: {PacketsPerSecondPerEdge} packets a second through each edge to {_clients.Count} clients");
        await Task.Delay(Warmup);
    }

    /// <summary>
    /// Stops the traffic, then reconnects every client so it gets what was stored, until nothing
    /// acknowledged is missing (twice, 10 s each); says how many of those still missing are in the store.
    /// </summary>
    public async Task StopAndDrainAsync()
    {
        await Traffic.StopAsync();
        for (int round = 0; round < 2 && ledger.Missing.Count > 0; round++)
        {
            Say($"{ledger.Missing.Count} acknowledged messages not received yet; the clients reconnect to drain the store");
            foreach (var client in _clients)
            {
                await client.ReconnectNowAsync();
            }
            for (long start = ledger.Now; ledger.Missing.Count > 0 && ledger.Now - start < DrainTimeout.TotalMilliseconds;)
            {
                await Task.Delay(200);
            }
        }
        // Each a message acknowledged where no activation held it and no row was (yet) stored: an inbox on two silos, or a repeated acknowledgement.
        Say($"acknowledgements that found no stored message: {(await cluster.SqlAsync("SELECT count(*) FROM gateway_acknowledged")).Trim()}");
        if (ledger.Missing.Count > 0)
        {
            // The sequence number is the message's first 4 bytes, little-endian.
            var stored = (await cluster.SqlAsync(
                "SELECT get_byte(content, 0) + 256 * get_byte(content, 1) + 65536 * get_byte(content, 2) + 16777216 * get_byte(content, 3) FROM gateway_messages"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToHashSet();
            Say($"still missing: {ledger.Missing.Count}, of which in the store (stored, never pushed): {ledger.Missing.Count(stored.Contains)}; " +
                $"messages in the store: {stored.Count}; {ledger.MissingReport()}");
        }
    }

    /// <summary>Records, in the database itself, which address inserted each message when, and when a silo was declared dead.</summary>
    public Task WatchWritesAsync() => cluster.SqlAsync("""
        CREATE TABLE fleet_writes (address inet, at timestamptz);
        CREATE FUNCTION fleet_note_write() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO fleet_writes VALUES (inet_client_addr(), clock_timestamp()); RETURN NULL; END $$;
        CREATE TRIGGER fleet_writes AFTER INSERT ON gateway_messages FOR EACH ROW EXECUTE FUNCTION fleet_note_write();
        CREATE TABLE fleet_deaths (address text, at timestamptz);
        CREATE FUNCTION fleet_note_death() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.status = 6 AND OLD.status <> 6 THEN INSERT INTO fleet_deaths VALUES (NEW.address, clock_timestamp()); END IF; RETURN NULL; END $$;
        CREATE TRIGGER fleet_deaths AFTER UPDATE ON orleansmembershiptable FOR EACH ROW EXECUTE FUNCTION fleet_note_death();
        """);

    /// <summary>Waits until the membership table says the silo at <paramref name="silo"/> is dead (Orleans' status 6); the ledger's time then.</summary>
    public async Task<long> WaitUntilDeclaredDeadAsync(IPAddress silo, TimeSpan timeout)
    {
        for (long start = ledger.Now; ledger.Now - start < timeout.TotalMilliseconds; await Task.Delay(250))
        {
            if (await cluster.SqlAsync($"SELECT count(*) FROM fleet_deaths WHERE address = '{silo}'") is var dead && dead.Trim() != "0")
            {
                Say($"the cluster declared {silo} dead");
                return ledger.Now;
            }
        }
        throw new TimeoutException($"the cluster did not declare {silo} dead within {timeout}");
    }

    /// <summary>No message was inserted from <paramref name="silo"/>'s address after the cluster declared it dead (and it was declared dead).</summary>
    public async Task AssertNoWritesAfterDeathAsync(IPAddress silo)
    {
        var counts = (await cluster.SqlAsync($"""
            SELECT (SELECT count(*) FROM fleet_deaths WHERE address = '{silo}'),
                   (SELECT count(*) FROM fleet_writes WHERE address = '{silo}'),
                   (SELECT count(*) FROM fleet_writes w WHERE address = '{silo}' AND at > (SELECT min(at) FROM fleet_deaths WHERE address = '{silo}'))
            """)).Trim().Split('|').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Say($"{silo}: declared dead {counts[0]} time(s); messages it inserted: {counts[1]}, after its declaration: {counts[2]}");
        Assert.True(counts[0] > 0, $"the cluster never declared {silo} dead");
        Assert.Equal(0, counts[2]);
    }

    public async ValueTask DisposeAsync()
    {
        if (Traffic is not null)
        {
            await Traffic.DisposeAsync();
        }
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
