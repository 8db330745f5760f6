using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using NymGateway.Load.Measure;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.Tools;

namespace NymGateway.Load.Traffic;

/// <summary>
/// Clients that, while the mix side is saturated, open a websocket and register (the 0.9.2
/// handshake) then open another and authenticate, over and over: how long each reply takes, against
/// the 1.5 s a 0.9.2 client waits. Registration is timed from the first handshake message to the
/// final response, authentication from the request to its response.
/// </summary>
public sealed class HandshakeProbe(IReadOnlyList<Uri> clientsUris, IdentityPublicKey gateway, ErrorCounts errors)
{
    /// <summary>How long a 0.9.2 client waits for the reply.</summary>
    public static readonly TimeSpan ClientClock = TimeSpan.FromMilliseconds(1500);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<double> _register = new();
    private readonly ConcurrentQueue<double> _authenticate = new();
    private long _failures;

    public long Failures => Interlocked.Read(ref _failures);

    public HandshakeResult Result => new(Percentiles.Of(_register), Percentiles.Of(_authenticate), Failures, ClientClock.TotalMilliseconds);

    /// <summary>Runs <paramref name="clients"/> loops until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(int clients, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await OnceAsync(clientsUris[c % clientsUris.Count]);
            }
        }, CancellationToken.None)));

    private async Task OnceAsync(Uri uri)
    {
        var identity = IdentityKeyPair.Generate();
        try
        {
            SharedKeys keys;
            await using (var client = await TestClient.ConnectAsync(uri, identity))
            {
                long start = Stopwatch.GetTimestamp();
                var registered = await client.RegisterAsync(gateway, GiveUp);
                _register.Enqueue(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (registered is not ServerResponse.Register { Status: true } || client.Keys is null)
                {
                    Fail();
                    return;
                }
                keys = client.Keys;
            }
            await using (var client = await TestClient.ConnectAsync(uri, identity))
            {
                long start = Stopwatch.GetTimestamp();
                var authenticated = await client.AuthenticateAsync(keys, GiveUp);
                _authenticate.Enqueue(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (authenticated is not ServerResponse.Authenticate { Status: true })
                {
                    Fail();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or InvalidDataException or System.Threading.Channels.ChannelClosedException)
        {
            Fail();
        }
    }

    private void Fail()
    {
        Interlocked.Increment(ref _failures);
        errors.Add(ErrorKind.HandshakeFailed);
    }
}

/// <summary>Reply latencies of registrations and authentications under load, against the 0.9.2 client's clock.</summary>
public sealed record HandshakeResult(Percentiles Register, Percentiles Authenticate, long Failures, double ClientClockMs);
