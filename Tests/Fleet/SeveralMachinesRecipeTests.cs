using System.Buffers.Binary;
using System.Net;
using System.Text.RegularExpressions;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Tests.EndToEnd;
using NymGateway.Tools;
using Xunit;
using Xunit.Abstractions;

namespace NymGateway.Tests.Fleet;

/// <summary>
/// The README's several-machine recipe, run line by line as the README writes it, on hosts with
/// their own network stacks and the README's addresses: PostgreSQL on 10.0.0.5, silos on .11/.12,
/// edges on .21/.22, each host with a $HOME of its own holding a copy of the gateway folder. A
/// 0.9.2-style client registers on one edge and gets the packets a mix node sent to the other
/// edge's mix port. The clients and the mix node talk to the edges' own addresses: the load
/// balancer the recipe announces (10.0.0.20) is not part of the test.
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
        await using var fleet = await Fleet.CreateAsync(output);
        var db = await fleet.AddHostAsync("db", "10.0.0.5");
        var silos = new[] { await fleet.AddHostAsync("silo1", "10.0.0.11"), await fleet.AddHostAsync("silo2", "10.0.0.12") };
        var edges = new[] { await fleet.AddHostAsync("edge1", "10.0.0.21"), await fleet.AddHostAsync("edge2", "10.0.0.22") };
        var client = await fleet.AddHostAsync("client", "10.0.0.31");
        var mix = await fleet.AddHostAsync("mix", "10.0.0.41");

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
            await Fleet.RunCheckedAsync("cp", "-a", Path.Combine(silos[0].Home, folder), Path.Combine(host.Home, folder));
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
            running.Add(edge);
        }

        // A client on edge1's clients port; packets into edge2's mix port, their SURB-ACKs to the mix node.
        await using var user = await TestClient.ConnectAsync(new Uri($"ws://{edges[0].Address}:9000/"), invoker: client.Http);
        Assert.Equal(new ServerResponse.Register(true), await user.RegisterAsync(keys.Identity, Timeout));
        await using var ackSink = mix.Inside(() => new MixNodeStub(mix.Address));
        using var sender = await mix.Inside(() => MixSender.ConnectAsync(new IPEndPoint(edges[1].Address, 1789)));
        const int Messages = 10;
        for (int id = 0; id < Messages; id++)
        {
            var message = new byte[64];
            BinaryPrimitives.WriteInt32LittleEndian(message, id);
            var ack = new byte[PacketSizes.Ack];
            BinaryPrimitives.WriteInt32LittleEndian(ack, id);
            await sender.SendPacketAsync(FinalHopPackets.Regular(keys.SphinxKey, user.AddressBytes, message, new NodeAddress(ackSink.EndPoint), ack));
        }
        var received = new List<int>();
        var acked = new List<int>();
        for (int i = 0; i < Messages; i++)
        {
            received.Add(BinaryPrimitives.ReadInt32LittleEndian(await user.ReceivePushAsync(Timeout)));
            acked.Add(BinaryPrimitives.ReadInt32LittleEndian((await ackSink.ReceiveAsync(Timeout)).Packet));
        }
        Assert.Equal(Enumerable.Range(0, Messages), received); // in order, once each
        Assert.Equal(Enumerable.Range(0, Messages), acked.Order());

        // Every host stops on SIGTERM, edges first.
        foreach (var host in new[] { edges[0], edges[1], silos[0], silos[1] })
        {
            await host.StopAsync();
        }
        Assert.All(running, process => Assert.Equal(0, process.ExitCode));
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
