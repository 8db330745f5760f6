using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Tests.Telemetry;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// A client's ForwardSphinx quota: past it, new requests get an error response and are not
/// forwarded (refuse new), counted in nym_gateway_clients_requests_refused_total and logged
/// (throttled); the next interval, and every other client, are served as before.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ClientSendQuotaTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static MixPacket PacketTo(IPEndPoint hop) => new(new NodeAddress(hop), new byte[PacketSizes.Regular], PacketMode.Mix);

    [Theory]
    [InlineData("packet_quota", 3, 1024 * 1024)]
    [InlineData("byte_quota", 1000, PacketSizes.Regular * 3)] // two requests fit, the third does not
    public async Task Requests_over_the_quota_are_refused_until_the_next_interval(string reason, int packets, int bytes)
    {
        var interval = TimeSpan.FromSeconds(4); // five requests fit in it even on a busy machine
        await using var gateway = await SingleProcessGateway.StartAsync(c =>
        {
            c.Limits.MaxClientPacketsPerInterval = packets;
            c.Limits.MaxClientBytesPerInterval = bytes;
            c.Limits.ClientQuotaInterval = interval;
        });
        using var metrics = new InstrumentRecorder(gateway.Services.GetRequiredService<GatewayMetrics>().RequestsRefused.Meter);
        await using var hop = new MixNodeStub();
        await using var bystander = await Bystander.ConnectAsync(gateway);
        await using var sender = await TestClient.ConnectAsync(gateway.ClientsUri);
        Assert.Equal(new ServerResponse.Register(true), await sender.RegisterAsync(gateway.Identity.Identity.PublicKey, Timeout));

        var started = DateTime.UtcNow;
        var responses = new List<ServerResponse>();
        for (int i = 0; i < 5; i++)
        {
            responses.Add(await sender.ForwardAsync(PacketTo(hop.EndPoint), Timeout));
        }
        Assert.True(DateTime.UtcNow - started < interval, "the requests took longer than one interval; the test cannot tell");
        int accepted = responses.Count(r => r == new ServerResponse.Send(true));
        Assert.Equal(reason == "packet_quota" ? 3 : 2, accepted);
        var refused = Assert.IsType<ServerResponse.Error>(responses[^1]);
        Assert.StartsWith("request refused: over the gateway's send quota", refused.Message);
        for (int i = 0; i < accepted; i++)
        {
            await hop.ReceiveAsync(Timeout);
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hop.ReceiveAsync(TimeSpan.FromMilliseconds(300)));

        Assert.Equal(5 - accepted, metrics["nym.gateway.clients.requests_refused", $"reason={reason}"]);
        Assert.Single(gateway.Logs.Lines, l => l.StartsWith($"Warning: Client {sender.Address[..8]} is over its send quota", StringComparison.Ordinal));
        await bystander.StillReceivesAsync(hop);

        await Task.Delay(interval);
        Assert.Equal(new ServerResponse.Send(true), await sender.ForwardAsync(PacketTo(hop.EndPoint), Timeout));
        await hop.ReceiveAsync(Timeout);
    }
}
