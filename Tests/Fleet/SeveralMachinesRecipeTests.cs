using System.Buffers.Binary;
using System.Net;
using System.Text.RegularExpressions;
using NymGateway.Fleet;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Tools;
using Xunit;
using Xunit.Abstractions;

namespace NymGateway.Tests.Fleet;

/// <summary>
/// The README's several-machine recipe, run line by line as the README writes it, on hosts with
/// their own network stacks and the README's addresses: PostgreSQL on 10.0.0.5, silos on .11/.12,
/// edges on .21/.22, each host with a $HOME of its own holding a copy of the gateway folder, and
/// the announced address 10.0.0.20 a round-robin TCP balancer in front of both edges. A 0.9.2-style
/// client registers through it (on edge1) and gets the packets a mix node sent through it, over one
/// connection that landed on edge2 and one on edge1.
/// </summary>
[Trait("Category", "Fleet")]
public sealed partial class SeveralMachinesRecipeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const string Password = "nymgateway"; // the one scripts/postgres.sh gives the role

    [Fact]
    public async Task A_client_on_one_edge_gets_what_a_mix_node_sent_to_the_other()
    {
        await using var fleet = await FleetNetwork.CreateAsync(output.WriteLine);
        var db = await fleet.AddHostAsync("db", "10.0.0.5");
        var silos = new[] { await fleet.AddHostAsync("silo1", "10.0.0.11"), await fleet.AddHostAsync("silo2", "10.0.0.12") };
        var edges = new[] { await fleet.AddHostAsync("edge1", "10.0.0.21"), await fleet.AddHostAsync("edge2", "10.0.0.22") };
        var client = await fleet.AddHostAsync("client", "10.0.0.31");
        var mix = await fleet.AddHostAsync("mix", "10.0.0.41");
        var balancer = await fleet.AddHostAsync("lb", "10.0.0.20");

        // on db; its data in db's $HOME rather than the shared /tmp default, so parallel runs keep apart
        var (pgEnvironment, pgCommand) = Assignments(Words(Line("NYM_PG_LISTEN=")));
        pgEnvironment["NYM_PG_DATA"] = Path.Combine(db.Home, "pg");
        await db.ExecAsync(pgEnvironment, [.. pgCommand.Select(w => w.StartsWith("scripts/", StringComparison.Ordinal) ? Path.Combine(RepositoryRoot.Path, w) : w)]);

        // once, on any host (silo1), then copied to every host
        var init = await silos[0].ExecAsync(new Dictionary<string, string?>(), FleetHost.NymGateway(Arguments(Line("nym-gateway init"))));
        Assert.Contains("Gateway configuration completed", init, StringComparison.Ordinal);
        var folder = Path.Combine(".nym", "gateways", "gw");
        var config = await File.ReadAllTextAsync(Path.Combine(silos[0].Home, folder, "config", "config.toml"));
        // Paths are relative to the folder, so each copy reads its own files under its own $HOME;
        // only 0.9.2's nym_root_directory names the init host's, and nothing resolves against it.
        Assert.Equal(["nym_root_directory"], config.Split('\n').Where(l => l.Contains(silos[0].Home, StringComparison.Ordinal)).Select(l => l.Split(' ')[0]));
        foreach (var host in new[] { silos[1], edges[0], edges[1] })
        {
            Directory.CreateDirectory(Path.Combine(host.Home, ".nym", "gateways"));
            await FleetNetwork.RunCheckedAsync("cp", "-a", Path.Combine(silos[0].Home, folder), Path.Combine(host.Home, folder));
        }
        var keys = new GatewayFolder(silos[0].Home, "gw");

        // on every host
        var export = ExportPattern().Match(Line("export NYM_GATEWAY_DATABASE="));
        Assert.True(export.Success, "the README's export line changed shape");
        var database = new Dictionary<string, string?> { ["NYM_GATEWAY_DATABASE"] = export.Groups[1].Value.Replace("Password=...", $"Password={Password}", StringComparison.Ordinal) };

        // on 10.0.0.11 and 10.0.0.12 ("resp."), then on 10.0.0.21 and 10.0.0.22
        var silo = Arguments(Line("nym-gateway silo"));
        Assert.Equal(silos[0].Address.ToString(), silo[^1]);
        var running = silos.Select(host => host.Start(database, FleetHost.NymGateway([.. silo[..^1], host.Address.ToString()]))).ToList();
        foreach (var process in running)
        {
            await process.WaitForAsync("Silo ready", Startup);
        }
        foreach (var host in edges)
        {
            var edge = host.Start(database, FleetHost.NymGateway(Arguments(Line("nym-gateway edge"))));
            await edge.WaitForAsync("Finished nym gateway startup procedure", Startup);
            Assert.Contains("Connected to the cluster: 2 active silo(s)", edge.Output, StringComparison.Ordinal);
            Assert.Contains("Announcing the following socket address for sphinx packets: 10.0.0.20:1789", edge.Output, StringComparison.Ordinal);
            Assert.Contains("Announcing the following socket address for clients packets: ws://10.0.0.20:9000", edge.Output, StringComparison.Ordinal);
            running.Add(edge);
        }

        // The balancer in front of both edges' ports 1789 and 9000.
        IPEndPoint[] Backends(int port) => [.. edges.Select(e => new IPEndPoint(e.Address, port))];
        await using var mixPort = TcpRelay.Start(balancer, 1789, Backends(1789));
        await using var clientsPort = TcpRelay.Start(balancer, 9000, Backends(9000));

        // The client at the announced address lands on edge1; the mix node's connections on edge1, then edge2.
        await using var user = await TestClient.ConnectAsync(new Uri("ws://10.0.0.20:9000/"), invoker: client.Http);
        Assert.Equal(new ServerResponse.Register(true), await user.RegisterAsync(keys.Identity, Timeout));
        await using var ackSink = mix.Inside(() => new MixNodeStub(mix.Address));
        var announcedMix = new IPEndPoint(balancer.Address, 1789);
        using var viaEdge1 = await mix.Inside(() => MixSender.ConnectAsync(announcedMix));
        using var viaEdge2 = await mix.Inside(() => MixSender.ConnectAsync(announcedMix));

        // What edge2 got, then what edge1 got, reaches the client on edge1 in order and once; every
        // SURB-ACK goes to the mix node (each edge forwards them itself, not through the balancer).
        var acked = new List<int>();
        foreach (var (sender, ids) in new[] { (viaEdge2, Enumerable.Range(0, 5)), (viaEdge1, Enumerable.Range(5, 5)) })
        {
            foreach (var id in ids)
            {
                await sender.SendPacketAsync(FinalHopPackets.Regular(keys.SphinxKey, user.AddressBytes, Numbered(id, 64), new NodeAddress(ackSink.EndPoint), Numbered(id, PacketSizes.Ack)));
            }
            var received = new List<int>();
            foreach (var _ in ids)
            {
                received.Add(BinaryPrimitives.ReadInt32LittleEndian(await user.ReceivePushAsync(Timeout)));
                acked.Add(BinaryPrimitives.ReadInt32LittleEndian((await ackSink.ReceiveAsync(Timeout)).Packet));
            }
            Assert.Equal(ids, received);
        }
        Assert.Equal(Enumerable.Range(0, 10), acked.Order());
        Assert.Equal(Backends(9000)[..1], clientsPort.Chosen);
        Assert.Equal(Backends(1789), mixPort.Chosen);

        // Every host stops on SIGTERM, edges first.
        foreach (var host in new[] { edges[0], edges[1], silos[0], silos[1] })
        {
            await host.StopAsync();
        }
        Assert.All(running, process => Assert.Equal(0, process.ExitCode));
    }

    private static byte[] Numbered(int id, int length)
    {
        var bytes = new byte[length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, id);
        return bytes;
    }

    /// <summary>The README's recipe: the bash block after "Several machines", continued lines joined.</summary>
    private static readonly string[] Recipe = ReadRecipe();

    private static string[] ReadRecipe()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var start = readme.IndexOf("```bash", readme.IndexOf("Several machines", StringComparison.Ordinal), StringComparison.Ordinal) + "```bash".Length;
        var block = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        return block.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');
    }

    /// <summary>The recipe's one command line that starts with <paramref name="start"/>, without its comment.</summary>
    private static string Line(string start)
    {
        var line = Assert.Single(Recipe, l => l.StartsWith(start, StringComparison.Ordinal));
        return line.Split('#')[0].Trim();
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A "nym-gateway ..." line as the arguments of the nym-gateway under test.</summary>
    private static string[] Arguments(string line) => Words(line)[1..];

    /// <summary>Leading NAME=value words as environment, the rest as the command.</summary>
    private static (Dictionary<string, string?> Environment, string[] Command) Assignments(string[] words)
    {
        var assignments = words.TakeWhile(w => w.Contains('=', StringComparison.Ordinal)).ToList();
        return (assignments.ToDictionary(a => a.Split('=')[0], a => (string?)a.Split('=', 2)[1]), words[assignments.Count..]);
    }

    [GeneratedRegex("^export NYM_GATEWAY_DATABASE=\"([^\"]+)\"$")]
    private static partial Regex ExportPattern();
}
