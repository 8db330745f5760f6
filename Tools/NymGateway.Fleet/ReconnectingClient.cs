using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Threading.Channels;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.Tools;

namespace NymGateway.Fleet;

/// <summary>
/// A client that stays connected as a 0.9.2 client does: when its connection drops it reconnects
/// and authenticates again, 10 tries 5 s apart (waiting 1.5 s for each answer), then gives up.
/// Every message it receives is counted in the <see cref="DeliveryLedger"/> by the sequence
/// number in its first 4 bytes.
/// </summary>
public sealed class ReconnectingClient : IAsyncDisposable
{
    public const int Tries = 10;
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromMilliseconds(1500);

    private readonly FleetHost _host;
    private readonly Uri _gateway;
    private readonly DeliveryLedger _ledger;
    private CancellationTokenSource _stop = new();
    private readonly IdentityKeyPair _identity;
    private readonly SharedKeys _keys;
    private TestClient _connection;
    private Task _running = Task.CompletedTask;
    private int _reconnects;
    private int _connections = 1;

    private ReconnectingClient(FleetHost host, Uri gateway, DeliveryLedger ledger, TestClient registered)
    {
        _host = host;
        _gateway = gateway;
        _ledger = ledger;
        _connection = registered;
        _identity = registered.Identity;
        _keys = registered.Keys!;
    }

    public byte[] AddressBytes => _identity.PublicKey.Bytes.ToArray();

    /// <summary>True once it gave up: 10 tries in a row failed.</summary>
    public bool Exhausted { get; private set; }

    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Registers a new client through <paramref name="gateway"/> from <paramref name="host"/> and starts receiving.</summary>
    public static async Task<ReconnectingClient> RegisterAsync(FleetHost host, Uri gateway, IdentityPublicKey gatewayKey, DeliveryLedger ledger)
    {
        var client = await RegisterOnlyAsync(host, gateway, gatewayKey, ledger);
        client.StartReceiving();
        return client;
    }

    /// <summary>Registers a new client and hangs up: the gateway stores its messages until <see cref="ReconnectNowAsync"/> brings it online.</summary>
    public static async Task<ReconnectingClient> RegisterOfflineAsync(FleetHost host, Uri gateway, IdentityPublicKey gatewayKey, DeliveryLedger ledger)
    {
        var client = await RegisterOnlyAsync(host, gateway, gatewayKey, ledger);
        await client._connection.DisposeAsync();
        return client;
    }

    private static async Task<ReconnectingClient> RegisterOnlyAsync(FleetHost host, Uri gateway, IdentityPublicKey gatewayKey, DeliveryLedger ledger)
    {
        var connection = await TestClient.ConnectAsync(gateway, invoker: host.Http);
        // The first registration of a cold cluster may exceed a 0.9.2 client's patience; it is not what the scenarios test.
        var response = await connection.RegisterAsync(gatewayKey, TimeSpan.FromSeconds(30));
        if (response is not ServerResponse.Register { Status: true })
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException($"registration failed: {response}");
        }
        return new ReconnectingClient(host, gateway, ledger, connection);
    }

    /// <summary>Drops the connection and reconnects at once (not 5 s later), so the gateway pushes what it stored meanwhile.</summary>
    public async Task ReconnectNowAsync()
    {
        await StopReceivingAsync();
        await _connection.DisposeAsync();
        // What arrived before the close is delivered (the gateway deleted it once sent): count it.
        await ReceiveUntilClosedAsync(CancellationToken.None);
        if (await ReconnectAsync(TimeSpan.Zero, CancellationToken.None))
        {
            StartReceiving();
        }
    }

    private void StartReceiving()
    {
        _stop = new CancellationTokenSource();
        var stop = _stop.Token;
        _running = Task.Run(() => RunAsync(stop));
    }

    private async Task StopReceivingAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (true)
        {
            await ReceiveUntilClosedAsync(stop);
            if (stop.IsCancellationRequested)
            {
                return;
            }
            await _connection.DisposeAsync();
            if (!await ReconnectAsync(RetryInterval, stop))
            {
                return;
            }
            Interlocked.Increment(ref _reconnects);
        }
    }

    /// <summary>Up to 10 tries, the first after <paramref name="firstWait"/>, then 5 s apart; false when all failed (or it was stopped).</summary>
    private async Task<bool> ReconnectAsync(TimeSpan firstWait, CancellationToken stop)
    {
        for (int attempt = 0; attempt < Tries; attempt++)
        {
            try
            {
                await Task.Delay(attempt == 0 ? firstWait : RetryInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            if (await ConnectAsync())
            {
                return true;
            }
        }
        Exhausted = true;
        return false;
    }

    private async Task ReceiveUntilClosedAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            byte[] message;
            try
            {
                message = await _connection.ReceivePushAsync(TimeSpan.FromMilliseconds(500));
            }
            catch (OperationCanceledException)
            {
                continue; // nothing for half a second: look at the stop again
            }
            catch (ChannelClosedException)
            {
                return; // the connection closed
            }
            _ledger.Received(BinaryPrimitives.ReadInt32LittleEndian(message), Volatile.Read(ref _connections));
        }
    }

    /// <summary>One try: connect and authenticate within a 0.9.2 client's patience.</summary>
    private async Task<bool> ConnectAsync()
    {
        TestClient? connection = null;
        try
        {
            using var timeout = new CancellationTokenSource(AnswerTimeout);
            connection = await TestClient.ConnectAsync(_gateway, _identity, _host.Http, timeout.Token);
            if (await connection.AuthenticateAsync(_keys, AnswerTimeout) is ServerResponse.Authenticate { Status: true })
            {
                _connection = connection;
                Interlocked.Increment(ref _connections);
                return true;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException or IOException or ChannelClosedException or InvalidDataException)
        {
        }
        if (connection is not null)
        {
            _ledger.GaveUp();
            await connection.DisposeAsync();
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await StopReceivingAsync();
        await _connection.DisposeAsync();
    }
}
