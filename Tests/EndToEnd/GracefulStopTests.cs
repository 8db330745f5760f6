using System.Diagnostics;
using System.Net.WebSockets;
using NymGateway.Fleet;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.Tools;
using Xunit;
using Xunit.Abstractions;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// SIGTERM to a gateway process under traffic, with mix connections and websockets open: it must
/// unregister while still listening, close websockets with 1001, end on its own well before the
/// host's shutdown timeout with a graceful Orleans stop, and lose nothing whose SURB-ACK left.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class GracefulStopTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly TemporaryHome _home = new("nym-gateway-stop");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Sigterm_under_traffic_drains_closes_websockets_and_loses_nothing()
    {
        var ports = FreePorts.Take(5);
        using var validator = new ValidatorStub(ports[4], probeMixPort: ports[0]);
        await using var ackSink = new MixNodeStub();
        using var started = await LoopbackGateway.StartAsync(_home.Path, "stop", ports[..4], validator.Url);
        var (gateway, folder, run, clients, mixPort) = (started.Process, started.Folder, started.Run, started.ClientsUri, started.MixEndPoint);
        var sphinxKey = folder.SphinxKey;
        var gatewayIdentity = folder.Identity;

        await using var online = await TestClient.ConnectAsync(clients);
        Assert.Equal(new ServerResponse.Register(true), await online.RegisterAsync(gatewayIdentity, Timeout));
        var offline = await TestClient.ConnectAsync(clients);
        Assert.Equal(new ServerResponse.Register(true), await offline.RegisterAsync(gatewayIdentity, Timeout));
        await offline.DisposeAsync();

        // Message i goes to the online client when even, the offline one when odd; its SURB-ACK carries i.
        const int Count = 4000;
        var packets = Enumerable.Range(0, Count).Select(i => SphinxFrameCodec.Encode(PacketMode.Mix, FinalHopPackets.Regular(
            sphinxKey, (i % 2 == 0 ? online : offline).AddressBytes, Message(i), new NodeAddress(ackSink.EndPoint), AckPacket(i)))).ToArray();

        var live = new List<int>();
        var receiving = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    live.Add(Index(await online.ReceivePushAsync(TimeSpan.FromSeconds(30))));
                }
            }
            catch (Exception ex) when (ex is System.Threading.Channels.ChannelClosedException or OperationCanceledException)
            {
                // the gateway closed the websocket
            }
        });
        using var stopSending = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 2).Select(connection => Task.Run(async () =>
        {
            using var mix = await MixSender.ConnectAsync(mixPort);
            int sent = 0;
            try
            {
                for (int i = connection; i < Count && !stopSending.IsCancellationRequested; i += 2, sent++)
                {
                    await mix.SendRawAsync(packets[i]);
                    await Task.Delay(1);
                }
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
            {
                // the gateway closed this mix connection while stopping
            }
            return sent;
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        await gateway.SignalAndWaitAsync("TERM");
        var stopTime = clock.Elapsed;
        await stopSending.CancelAsync();
        int sent = (await Task.WhenAll(senders)).Sum();
        await receiving;
        output.WriteLine($"stop took {stopTime.TotalMilliseconds:F0} ms; {sent} packets sent, {live.Count} pushed live");
        output.WriteLine(gateway.Output);

        Assert.Equal(0, gateway.ExitCode);
        Assert.True(stopTime < TimeSpan.FromSeconds(8), $"stop took {stopTime}");
        Assert.Contains("Received SIGTERM - the gateway will terminate now.", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("gracefully", gateway.Output, StringComparison.Ordinal);
        foreach (var sign in new[] { "non-graceful", "canceled at stage", "failed to deactivate", "Exception" })
        {
            Assert.DoesNotContain(sign, gateway.Output, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, online.CloseStatus);
        Assert.Contains(validator.Requests, r => r.StartsWith("POST ", StringComparison.Ordinal));
        Assert.Single(validator.Requests, r => r.StartsWith("DELETE ", StringComparison.Ordinal));
        Assert.EndsWith("(mix port open)", validator.Requests.Last(), StringComparison.Ordinal);
        Assert.True(live.Count > 0, "nothing was pushed before the stop");

        var acked = new HashSet<int>();
        while (true)
        {
            try
            {
                var (_, _, ack) = await ackSink.ReceiveAsync(TimeSpan.FromMilliseconds(500));
                Assert.True(acked.Add(BitConverter.ToInt32(ack)), "a SURB-ACK was forwarded twice");
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Restart: the rest of each inbox arrives, nothing twice.
        using var again = GatewayProcess.Start(_home.Path, run);
        await again.WaitForAsync("Finished nym gateway startup procedure", TimeSpan.FromSeconds(60));
        var delivered = new List<int>(live);
        delivered.AddRange(await DrainAsync(clients, online.Identity, online.Keys!));
        delivered.AddRange(await DrainAsync(clients, offline.Identity, offline.Keys!));
        await again.SignalAndWaitAsync("TERM");
        output.WriteLine($"{acked.Count} acknowledged, {delivered.Count} delivered in all");

        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.Empty(acked.Except(delivered));
        Assert.True(acked.Count > 0);
    }

    private static async Task<List<int>> DrainAsync(Uri clients, IdentityKeyPair identity, SharedKeys keys)
    {
        await using var client = await TestClient.ConnectAsync(clients, identity);
        Assert.Equal(new ServerResponse.Authenticate(true), await client.AuthenticateAsync(keys, Timeout));
        var received = new List<int>();
        while (await client.HasPushWithinAsync(TimeSpan.FromSeconds(2)))
        {
            received.Add(Index(await client.ReceivePushAsync(Timeout)));
        }
        return received;
    }

    private static byte[] Message(int i) => BitConverter.GetBytes(i);

    private static int Index(byte[] message) => BitConverter.ToInt32(message);

    private static byte[] AckPacket(int i)
    {
        var ack = new byte[PacketSizes.Ack];
        BitConverter.GetBytes(i).CopyTo(ack, 0);
        return ack;
    }
}
