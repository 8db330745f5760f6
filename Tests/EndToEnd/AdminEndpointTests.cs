using System.Net;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>The admin port of a running single-process gateway: /health, and /metrics with the edge's and the silo's instruments after real traffic.</summary>
/// <remarks>Alone, because meters are process-wide: another gateway of this test run would add its traffic to these counts.</remarks>
[Trait("Category", "EndToEnd")]
[Collection(nameof(AdminEndpointTests))]
public sealed class AdminEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private SingleProcessGateway _gateway = null!;
    private MixNodeStub _mixNode = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Uri _admin = null!;

    public async Task InitializeAsync()
    {
        int port = FreePorts.Take(1)[0];
        _admin = new Uri($"http://127.0.0.1:{port}/");
        _gateway = await SingleProcessGateway.StartAsync(c => c.Admin.ListeningAddress = $"127.0.0.1:{port}");
        _mixNode = new MixNodeStub();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _mixNode.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    private async Task<PrometheusScrape> ScrapeAsync() => new(await _http.GetStringAsync(new Uri(_admin, "metrics")));

    [Fact]
    public async Task Health_answers_healthy_on_the_admin_port()
    {
        var response = await _http.GetAsync(new Uri(_admin, "health"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_show_the_traffic_of_edge_and_silo()
    {
        var client = await TestClient.ConnectAsync(_gateway.ClientsUri);
        Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(_gateway.Identity.Identity.PublicKey, Timeout));
        using (var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint))
        {
            for (int i = 0; i < 5; i++)
            {
                var message = new[] { (byte)i };
                await mix.SendPacketAsync(FinalHopPackets.Regular(_gateway.Identity.Sphinx.PublicKey, client.AddressBytes, message,
                    new NodeAddress(_mixNode.EndPoint), new byte[PacketSizes.Ack]));
                Assert.Equal(message, await client.ReceivePushAsync(Timeout));
                await _mixNode.ReceiveAsync(Timeout); // its SURB-ACK
            }
        }

        // The totals are counted in the database every 10 s, so the registration shows up within that.
        PrometheusScrape metrics = null!;
        await SingleProcessGatewayTests.WaitUntilAsync(async () =>
        {
            metrics = await ScrapeAsync();
            return metrics.Has("nym_gateway_clients_registered") && metrics["nym_gateway_clients_registered"] >= 1
                && metrics["nym_gateway_forwarder_packets_sent_total"] >= 5;
        });
        Assert.Equal(1, metrics["nym_gateway_clients_connected"]);
        Assert.Equal(5, metrics["nym_gateway_mix_packets_received_total"]);
        Assert.Equal(5, metrics["nym_gateway_inbox_messages_stored_total"]);
        Assert.Equal(5, metrics["nym_gateway_clients_messages_pushed_total"]);
        Assert.Equal(5, metrics["nym_gateway_clients_push_duration_seconds_count"]);
        Assert.InRange(metrics["nym_gateway_clients_push_duration_seconds_sum"], 0, 5 * Timeout.TotalSeconds);
        Assert.Equal(0, metrics["nym_gateway_forwarder_queue_depth"]);
        Assert.True(metrics["nym_gateway_store_commit_duration_seconds_count"] >= 1);
        Assert.True(metrics["nym_gateway_store_commit_writes_count"] >= 1);
        Assert.True(metrics.Has("nym_gateway_inbox_stored_messages"));

        await client.DisposeAsync();
        await SingleProcessGatewayTests.WaitUntilAsync(async () => (await ScrapeAsync())["nym_gateway_clients_connected"] == 0);
    }
}

[CollectionDefinition(nameof(AdminEndpointTests), DisableParallelization = true)]
public sealed class AdminEndpointTestsCollection;
