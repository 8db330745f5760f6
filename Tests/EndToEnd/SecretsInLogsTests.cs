using System.Text;
using NymGateway.Fleet;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Encoding;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// A whole session at the most verbose log level (trace, every category): registration, pushes,
/// a ForwardSphinx, reconnection with authentication, a SURB-ACK, a stop. No private key, shared
/// key or payload may appear in the output, in any of the encodings a log line could carry.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SecretsInLogsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly TemporaryHome _home = new("nym-gateway-secrets");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task A_trace_level_log_of_a_full_session_holds_no_key_and_no_payload()
    {
        // Every category, Orleans' and ASP.NET Core's too (the config holds them at warn by default).
        var trace = new[] { "Default", "Orleans", "Microsoft", "System", "Polly" }.ToDictionary(c => $"Logging__LogLevel__{c}", _ => (string?)"Trace");
        using var started = await LoopbackGateway.StartAsync(_home.Path, "s", FreePorts.Take(4), environment: trace);
        var (gateway, folder, clients) = (started.Process, started.Folder, started.ClientsUri);
        await using var mixNode = new MixNodeStub();

        var payload = Encoding.ASCII.GetBytes($"payload-{Guid.NewGuid():N}");
        var client = await TestClient.ConnectAsync(clients);
        Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(folder.Identity, Timeout));
        var keys = client.Keys!;
        using (var mix = await MixSender.ConnectAsync(started.MixEndPoint))
        {
            await mix.SendPacketAsync(FinalHopPackets.Regular(folder.SphinxKey, client.AddressBytes, payload, new NodeAddress(mixNode.EndPoint), new byte[PacketSizes.Ack]));
            Assert.Equal(payload, await client.ReceivePushAsync(Timeout));
            await mixNode.ReceiveAsync(Timeout); // the SURB-ACK
        }
        var forwarded = new MixPacket(new NodeAddress(mixNode.EndPoint), new byte[PacketSizes.Regular], PacketMode.Mix);
        Assert.Equal(new ServerResponse.Send(true), await client.ForwardAsync(forwarded, Timeout));
        await client.DisposeAsync();

        await using (var again = await TestClient.ConnectAsync(clients, client.Identity))
        {
            Assert.Equal(new ServerResponse.Authenticate(true), await again.AuthenticateAsync(keys, Timeout));
        }
        await gateway.SignalAndWaitAsync("TERM");
        Assert.Equal(0, gateway.ExitCode);

        var log = gateway.Output;
        Assert.Contains("trce: Orleans", log, StringComparison.Ordinal); // it really logged at trace
        Assert.Contains("dbug: NymGateway", log, StringComparison.Ordinal);
        Assert.Contains(Encodings(folder.Identity.Bytes.ToArray()).First(), log, StringComparison.Ordinal); // public keys do appear: the search finds keys
        foreach (var (what, secret) in new[]
                 {
                     ("the gateway's private identity key", folder.PrivateIdentityKey),
                     ("the gateway's private sphinx key", folder.PrivateSphinxKey),
                     ("the client's shared keys", keys.Bytes.ToArray()),
                     ("the client's encryption key", keys.Bytes[..16].ToArray()),
                     ("the client's MAC key", keys.Bytes[16..].ToArray()),
                     ("a message payload", payload),
                 })
        {
            foreach (var encoded in Encodings(secret))
            {
                Assert.False(log.Contains(encoded, StringComparison.OrdinalIgnoreCase), $"{what} appears in the log as '{encoded}'");
            }
        }
    }

    /// <summary>How bytes would show up in a log line: base58 (Nym's keys), hex, base64, the bytes as text.</summary>
    private static IEnumerable<string> Encodings(byte[] secret) =>
    [
        Base58Text.Encode(secret),
        Convert.ToHexString(secret),
        Convert.ToBase64String(secret),
        BitConverter.ToString(secret),
        Encoding.Latin1.GetString(secret),
    ];
}
