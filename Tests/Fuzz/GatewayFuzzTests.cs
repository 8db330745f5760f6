using System.Collections.Concurrent;
using System.Net;
using CsCheck;
using NymGateway.Fleet;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.Tests.EndToEnd;
using NymGateway.Tools;
using Xunit;
using Xunit.Abstractions;

namespace NymGateway.Tests.Fuzz;

/// <summary>
/// Random and mutated input on every port of a running gateway, over real sockets, for about a
/// minute: mix frames, text and binary requests before and after authentication, handshakes, and
/// websocket frames no client would send. Each is answered with the 0.9.2 error where the protocol
/// has one; the gateway never crashes, hangs or grows, and a well-behaved client on the same
/// gateway receives every message sent to it meanwhile.
/// </summary>
[Trait("Category", "Fuzz")]
[Collection(nameof(GatewayFuzzTests))]
public sealed class GatewayFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(10);
    private readonly TemporaryHome _home = new("nym-gateway-fuzz");
    private readonly ConcurrentDictionary<string, int> _tried = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Random_and_mutated_input_on_every_port_is_rejected_while_a_client_keeps_receiving()
    {
        using var started = await LoopbackGateway.StartAsync(_home.Path, "fuzz", FreePorts.Take(4));
        var (gateway, folder, mixPort, clients) = (started.Process, started.Folder, started.MixEndPoint, started.ClientsUri);
        await using var mixNode = new MixNodeStub();

        // The well-behaved client and the mix node that keeps sending it real packets.
        await using var bystander = await TestClient.ConnectAsync(clients);
        Assert.Equal(new ServerResponse.Register(true), await bystander.RegisterAsync(folder.Identity, Reply));
        byte[] Packet(byte[] address, int i) => FinalHopPackets.Regular(folder.SphinxKey, address, BitConverter.GetBytes(i), new NodeAddress(mixNode.EndPoint), new byte[PacketSizes.Ack]);
        using var stopTraffic = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            using var mix = await MixSender.ConnectAsync(mixPort);
            int sent = 0;
            while (!stopTraffic.IsCancellationRequested)
            {
                await mix.SendPacketAsync(Packet(bystander.AddressBytes, sent++));
                await Task.Delay(25);
            }
            return sent;
        });

        var validFrame = SphinxFrameCodec.Encode(PacketMode.Mix, Packet(IdentityKeyPair.Generate().PublicKey.Bytes.ToArray(), -1));
        var stranger = IdentityKeyPair.Generate();
        var validTexts = new[]
        {
            new ClientHandshake(stranger, folder.Identity).Start(),
            GatewayJson.Serialize(new ClientControlRequest.Authenticate(stranger.PublicKey.ToBase58(), "3yZe7d", "2ZHRb")),
        };
        long residentBefore = 0;
        await using (var mixConnections = new ConnectionPool<MixSender>(() => MixSender.ConnectAsync(mixPort)))
        {
            Task SendFrameAsync(int seconds) => FuzzAsync("mix frames", FuzzInputs.MixFrames(validFrame), seconds, async frame =>
            {
                var mix = await mixConnections.TakeAsync();
                try
                {
                    await mix.SendRawAsync(frame);
                    mixConnections.Return(mix);
                }
                catch (IOException)
                {
                    mix.Dispose(); // closed by the gateway for an unknown size or mode byte, as 0.9.2 does
                }
            });
            // The baseline once the gateway is warm (JIT, pools, caches), for "memory stays flat".
            await SendFrameAsync(seconds: 3);
            residentBefore = gateway.ResidentBytes;
            await SendFrameAsync(seconds: 12);
        }

        await using (var strangers = new ConnectionPool<TestClient>(() => TestClient.ConnectAsync(clients)))
        {
            await FuzzAsync("texts before authentication", FuzzInputs.Texts(validTexts), seconds: 10, async text =>
            {
                var client = await strangers.TakeAsync();
                await client.SendTextAsync(text);
                var response = await ResponseOrHandshakeAsync(client);
                if (!GatewayJson.TryParseClientControlRequest(text, out _))
                {
                    Assert.Equal(new ServerResponse.Error("malformed request"), response);
                    strangers.Return(client);
                }
                else
                {
                    await client.DisposeAsync(); // a request that parsed may have begun a handshake: this session is spent
                }
            });
            await FuzzAsync("binaries before authentication", FuzzInputs.Binaries(validFrame), seconds: 5, async data =>
            {
                var client = await strangers.TakeAsync();
                await client.SendBinaryAsync(data);
                Assert.Equal(new ServerResponse.Error("binary request without prior authentication"), await client.ReceiveResponseAsync(Reply));
                strangers.Return(client);
            });
        }

        await using (var registered = new ConnectionPool<TestClient>(async () =>
                     {
                         var client = await TestClient.ConnectAsync(clients);
                         Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(folder.Identity, Reply));
                         return client;
                     }))
        {
            var validRequest = BinaryMessages.SealForwardSphinx(bystander.Keys!, new MixPacket(new NodeAddress(mixNode.EndPoint), new byte[PacketSizes.Ack], PacketMode.Mix));
            await FuzzAsync("binary requests", FuzzInputs.Binaries(validRequest), seconds: 10, async data =>
            {
                var client = await registered.TakeAsync();
                await client.SendBinaryAsync(data);
                var expected = BinaryMessages.TryOpenForwardSphinx(client.Keys!, (byte[])data.Clone(), out _, out var error)
                    ? (ServerResponse)new ServerResponse.Send(true)
                    : new ServerResponse.Error(error!.ToString());
                Assert.Equal(expected, await client.ReceiveResponseAsync(Reply));
                registered.Return(client);
            });
            await FuzzAsync("texts after authentication", FuzzInputs.Texts(validTexts), seconds: 3, async text =>
            {
                var client = await registered.TakeAsync();
                await client.SendTextAsync(text);
                Assert.Equal(new ServerResponse.Error("invalid request"), await client.ReceiveResponseAsync(Reply));
                registered.Return(client);
            });
        }

        await FuzzAsync("handshakes", FuzzInputs.Texts(validTexts[0]), seconds: 5, async text =>
        {
            await using var client = await TestClient.ConnectAsync(clients);
            await client.SendTextAsync(text);
            await ResponseOrHandshakeAsync(client);
        });
        var clientsPort = new IPEndPoint(IPAddress.Loopback, clients.Port);
        await FuzzAsync("websocket protocol violations", FuzzInputs.WebSocketFrames(), seconds: 5, async frames =>
            Assert.True(await RawWebSocket.SendAndSeeClosedAsync(clientsPort, frames, Reply), "the gateway kept a broken websocket open"));

        long residentAfter = gateway.ResidentBytes;
        await stopTraffic.CancelAsync();
        int sent = await traffic;
        var received = new HashSet<int>();
        while (received.Count < sent)
        {
            received.Add(BitConverter.ToInt32(await bystander.ReceivePushAsync(TimeSpan.FromSeconds(20))));
        }
        output.WriteLine($"{_tried.Values.Sum()} inputs tried: {string.Join(", ", _tried.Select(t => $"{t.Key} {t.Value}"))}");
        output.WriteLine($"bystander received all {sent} messages; resident memory {residentBefore >> 20} MiB -> {residentAfter >> 20} MiB");

        Assert.False(gateway.HasExited, gateway.Output);
        var log = gateway.Output;
        Assert.DoesNotContain("Unhandled exception", log, StringComparison.Ordinal);
        Assert.DoesNotContain("crit:", log, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", log, StringComparison.Ordinal);
        int warnings = log.Split('\n').Count(line => line.Contains("warn:", StringComparison.Ordinal));
        Assert.True(warnings < 400, $"{warnings} warning lines: remote garbage must be throttled");
        Assert.True(residentAfter - residentBefore < 100L << 20, $"resident memory grew from {residentBefore >> 20} to {residentAfter >> 20} MiB");
        Assert.True(_tried.Values.Sum() > 20_000, "too few inputs to call this fuzzing");
        await gateway.SignalAndWaitAsync("TERM");
        Assert.Equal(0, gateway.ExitCode);
    }

    private async Task FuzzAsync<T>(string target, Gen<T> inputs, int seconds, Func<T, Task> send)
    {
        await inputs.SampleAsync(async input =>
        {
            _tried.AddOrUpdate(target, 1, (_, n) => n + 1);
            await send(input);
        }, time: seconds, threads: 4, writeLine: _ => { });
    }

    /// <summary>A server response, or a message of the gateway's side of a handshake the input began.</summary>
    private static async Task<ServerResponse?> ResponseOrHandshakeAsync(TestClient client)
    {
        var text = await client.ReceiveTextAsync(Reply);
        return GatewayJson.TryParseServerResponse(text, out var response) ? response : null;
    }
}

/// <summary>The fuzz run keeps both cores busy for a minute: alone, so timing-bound tests of other classes are not starved by it.</summary>
[CollectionDefinition(nameof(GatewayFuzzTests), DisableParallelization = true)]
public sealed class GatewayFuzzTestsCollection;
