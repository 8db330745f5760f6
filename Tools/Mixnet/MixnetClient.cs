using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Chunking;
using NymGateway.Nym.Framing;
using NymGateway.Nym.GatewayRequests;
using NymGateway.Nym.Keys;
using NymGateway.Nym.Messages;
using NymGateway.Tools;

namespace NymGateway.Mixnet;

/// <summary>
/// The real-traffic half of 0.9.2's client core: connects to its gateway (handshake the first
/// time, authentication after), splits a message into fragments, sends each through three mix
/// nodes with a SURB-ACK, retransmits a fragment whose ACK has not come back in time, and
/// reassembles what arrives. No cover traffic and no Poisson sending: packets leave at once.
/// </summary>
public sealed partial class MixnetClient : IAsyncDisposable
{
    private readonly ClientKeys _keys;
    private readonly Topology _topology;
    private readonly MixnetClientOptions _options;
    private readonly ILogger _logger;
    private readonly TestClient _connection;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<FragmentIdentifier, PendingFragment> _pending = new();
    private readonly MessageReconstructor _reconstructor = new();
    private readonly Channel<byte[]> _messages = Channel.CreateUnbounded<byte[]>();
    private readonly Channel<FragmentIdentifier> _acks = Channel.CreateUnbounded<FragmentIdentifier>();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private int _retransmissions;
    private int _duplicates;

    private MixnetClient(ClientKeys keys, IdentityPublicKey gateway, Topology topology, MixnetClientOptions options, ILogger logger, TestClient connection)
    {
        _keys = keys;
        _topology = topology;
        _options = options;
        _logger = logger;
        _connection = connection;
        Address = new Recipient(keys.Identity.PublicKey, keys.Encryption.PublicKey, gateway);
    }

    /// <summary>This client's address, as others send to it.</summary>
    public Recipient Address { get; }

    /// <summary>Messages reassembled from what the gateway pushed, each once.</summary>
    public ChannelReader<byte[]> Messages => _messages.Reader;

    /// <summary>Fragments whose SURB-ACK came back.</summary>
    public ChannelReader<FragmentIdentifier> Acknowledgements => _acks.Reader;

    /// <summary>Fragments sent again because their ACK did not arrive in time.</summary>
    public int Retransmissions => Volatile.Read(ref _retransmissions);

    /// <summary>Fragments received again after their message was reassembled (their ACK got lost, so they were sent again).</summary>
    public int DuplicateFragments => Volatile.Read(ref _duplicates);

    /// <summary>Fragments still waiting for their ACK.</summary>
    public int PendingAcknowledgements => _pending.Count;

    /// <summary>Registers when <paramref name="keys"/> has no gateway keys yet (and keeps the new ones there), else authenticates.</summary>
    /// <param name="clientsAddress">The gateway's websocket (one of its edges); the topology's when null.</param>
    public static async Task<MixnetClient> ConnectAsync(ClientKeys keys, IdentityPublicKey gateway, Topology topology, MixnetClientOptions options,
        ILogger<MixnetClient> logger, Uri? clientsAddress = null, CancellationToken cancellationToken = default)
    {
        var uri = clientsAddress ?? new Uri(topology.Gateway(gateway).ClientsAddress);
        var connection = await TestClient.ConnectAsync(uri, keys.Identity, cancellationToken: cancellationToken);
        var client = new MixnetClient(keys, gateway, topology, options, logger, connection);
        try
        {
            var response = keys.GatewayKeys is null
                ? await connection.RegisterAsync(gateway, options.GatewayResponseTimeout)
                : await connection.AuthenticateAsync(keys.GatewayKeys, options.GatewayResponseTimeout);
            if (response is not (ServerResponse.Register { Status: true } or ServerResponse.Authenticate { Status: true }))
            {
                throw new InvalidOperationException($"the gateway refused this client: {response}");
            }
            keys.GatewayKeys = connection.Keys;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        client._receiving = Task.Run(client.ReceiveLoopAsync, CancellationToken.None);
        return client;
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="recipient"/>; its fragments are retransmitted until acknowledged.</summary>
    public async Task SendAsync(Recipient recipient, byte[] message)
    {
        foreach (var fragment in MessageChunker.Split(message, FragmentPreparer.PlaintextPerPacket))
        {
            var pending = new PendingFragment(fragment, recipient);
            _pending[fragment.Identifier] = pending;
            await TransmitAsync(pending);
        }
    }

    private async Task TransmitAsync(PendingFragment pending)
    {
        var prepared = FragmentPreparer.Prepare(pending.Fragment, pending.Recipient, _topology.RouteTo(pending.Recipient.Gateway),
            Address, _topology.RouteTo(Address.Gateway), _keys.Ack, _options.AveragePacketDelay, _options.AverageAckDelay);
        await _sendLock.WaitAsync(_stop.Token);
        try
        {
            var response = await _connection.ForwardAsync(prepared.Packet, _options.GatewayResponseTimeout);
            if (response is not ServerResponse.Send { Status: true })
            {
                LogSendRefused(response.ToString());
            }
        }
        finally
        {
            _sendLock.Release();
        }
        // As 0.9.2: the timer starts once the packet is out, from the delays this copy carries.
        pending.StartTimer(_options.AckTimeout(prepared.TotalDelayNanos), RetransmitAsync);
    }

    private async Task RetransmitAsync(PendingFragment pending)
    {
        if (_stop.IsCancellationRequested || !_pending.ContainsKey(pending.Fragment.Identifier))
        {
            return;
        }
        Interlocked.Increment(ref _retransmissions);
        LogRetransmitting(pending.Fragment.Identifier.ToString());
        await TransmitAsync(pending);
    }

    private async Task ReceiveLoopAsync()
    {
        while (true)
        {
            byte[] data;
            try
            {
                data = await _connection.ReceivePushAsync(Timeout.InfiniteTimeSpan);
            }
            catch (InvalidDataException ex)
            {
                LogBadPush(ex.Message);
                continue;
            }
            catch (ChannelClosedException)
            {
                break;
            }
            if (data.Length == PacketSize.ACKPacket.PlaintextSize())
            {
                OnAcknowledgement(data);
            }
            else
            {
                OnMessage(data);
            }
        }
        _messages.Writer.TryComplete();
        _acks.Writer.TryComplete();
    }

    private void OnAcknowledgement(byte[] data)
    {
        if (!_keys.Ack.TryDecryptIdentifier(data, out var identifier))
        {
            LogBadAck();
            return;
        }
        if (_pending.TryRemove(identifier, out var pending))
        {
            pending.StopTimer();
            _acks.Writer.TryWrite(identifier);
        }
    }

    private void OnMessage(byte[] data)
    {
        if (!FragmentEncryption.TryDecrypt(data, _keys.Encryption, out var plaintext) || !Fragment.TryParse(plaintext, out var fragment))
        {
            LogBadFragment(data.Length);
            return;
        }
        switch (_reconstructor.Insert(fragment, out var message))
        {
            case MessageReconstructor.Outcome.Complete:
                _messages.Writer.TryWrite(message);
                break;
            case MessageReconstructor.Outcome.Duplicate:
                Interlocked.Increment(ref _duplicates);
                LogDuplicate(fragment.SetId);
                break;
            case MessageReconstructor.Outcome.Malformed:
                LogBadFragment(data.Length);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var pending in _pending.Values)
        {
            pending.StopTimer();
        }
        await _connection.DisposeAsync();
        await _receiving;
        _sendLock.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "The gateway did not take a packet: {Response}")]
    private partial void LogSendRefused(string response);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "No ACK in time for {Fragment}; retransmitting it")]
    private partial void LogRetransmitting(string fragment);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "A pushed message did not open: {Error}")]
    private partial void LogBadPush(string error);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Received an ACK that is not ours or is malformed")]
    private partial void LogBadAck();

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "Failed to recover a fragment from {Length} received bytes")]
    private partial void LogBadFragment(int length);

    [LoggerMessage(EventId = 25, Level = LogLevel.Debug, Message = "Received a chunk of already re-assembled message ({SetId})! It probably got here because the ack got lost")]
    private partial void LogDuplicate(int setId);
}
