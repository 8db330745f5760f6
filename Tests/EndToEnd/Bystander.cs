using NymGateway.Nym.Addressing;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Tools;
using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>A well-behaved client of the gateway: while a test pushes a limit, it must keep receiving its messages.</summary>
public sealed class Bystander : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly SingleProcessGateway _gateway;
    private readonly TestClient _client;
    private int _messages;

    private Bystander(SingleProcessGateway gateway, TestClient client)
    {
        _gateway = gateway;
        _client = client;
    }

    public static async Task<Bystander> ConnectAsync(SingleProcessGateway gateway)
    {
        var client = await TestClient.ConnectAsync(gateway.ClientsUri);
        Assert.Equal(new ServerResponse.Register(true), await client.RegisterAsync(gateway.Identity.Identity.PublicKey, Timeout));
        return new Bystander(gateway, client);
    }

    /// <summary>A message for it over a fresh mix connection arrives on its websocket.</summary>
    public async Task StillReceivesAsync(MixNodeStub ackNode)
    {
        var message = System.Text.Encoding.UTF8.GetBytes($"still here {_messages++}");
        using var mix = await MixSender.ConnectAsync(_gateway.MixEndPoint);
        await mix.SendPacketAsync(FinalHopPackets.Regular(_gateway.Identity.Sphinx.PublicKey, _client.AddressBytes, message,
            new NodeAddress(ackNode.EndPoint), new byte[PacketSizes.Ack]));
        Assert.Equal(message, await _client.ReceivePushAsync(Timeout));
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
