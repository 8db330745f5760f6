using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NymGateway.Grains.Storage;
using Orleans.Concurrency;
using Orleans.Streams;

namespace NymGateway.Grains;

/// <summary>
/// One client's inbox. Deliveries are refused for clients that never registered (0.9.2 keeps
/// no inbox for them either) and beyond the per-inbox limit; everything accepted is committed
/// before the call returns, then announced on the client's stream while the client is online
/// (an offline client's edge drains the store when it connects, so nobody listens before).
/// </summary>
public sealed partial class InboxGrain(IGatewayStore store, IOptions<GatewayStoreOptions> options, ILogger<InboxGrain> logger)
    : Grain, IInboxGrain
{
    private IAsyncStream<InboxEvent> _stream = null!;
    private bool _clientLoaded;
    private bool _registered;
    private bool _online;
    private int? _stored;
    private bool _fullReported;
    private readonly RecentDeliveries _recent = new(64);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stream = this.GetStreamProvider(InboxStreams.Provider)
            .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, this.GetPrimaryKeyString()));
        return Task.CompletedTask;
    }

    public async Task<DeliveryResult> Deliver(Guid deliveryId, Immutable<byte[][]> messages, Immutable<byte[]> replayTags, long receivedAt)
    {
        if (replayTags.Value.Length != messages.Value.Length * ReplayProtection.TagSize)
        {
            throw new ArgumentException($"one {ReplayProtection.TagSize}-byte replay tag per message", nameof(replayTags));
        }
        if (_recent.TryGet(deliveryId, out var earlier))
        {
            return earlier;
        }
        var result = await Store(deliveryId, messages.Value, replayTags.Value, receivedAt);
        _recent.Add(deliveryId, result);
        return result;
    }

    private async Task<DeliveryResult> Store(Guid deliveryId, byte[][] messages, byte[] replayTags, long receivedAt)
    {
        var address = this.GetPrimaryKeyString();
        await LoadClientAsync(address);
        if (!_registered)
        {
            LogUnregistered(logger, messages.Length, new ClientAddressPrefix(address));
            return new DeliveryResult(0, messages.Length);
        }

        _stored ??= await store.CountAsync(address);
        int room = Math.Max(0, options.Value.Retention.MaxMessagesPerInbox - _stored.Value);
        if (room < messages.Length)
        {
            // A retry whose first attempt committed (its answer lost, this activation new) already
            // counts in the store: its messages get their room back, so it is answered as the first.
            room += await store.CountStoredByAsync(deliveryId, replayTags);
        }
        var accepted = messages.Length <= room ? messages : messages[..room];
        // Senders can keep a full inbox full: said once until it drains, the edges count every refusal.
        if (accepted.Length < messages.Length && !_fullReported)
        {
            _fullReported = true;
            LogFull(logger, new ClientAddressPrefix(address), options.Value.Retention.MaxMessagesPerInbox);
        }
        if (accepted.Length == 0)
        {
            return new DeliveryResult(0, messages.Length);
        }

        var outcomes = await store.AppendAsync(address, accepted, replayTags.AsMemory(0, accepted.Length * ReplayProtection.TagSize), deliveryId, receivedAt);
        var fresh = new List<InboxMessage>(outcomes.Length);
        List<int>? replayed = null;
        for (int i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i] > 0)
            {
                fresh.Add(new InboxMessage(outcomes[i], accepted[i], receivedAt));
            }
            else if (outcomes[i] == AppendOutcome.Replayed)
            {
                (replayed ??= []).Add(i);
            }
        }
        _stored += fresh.Count;
        if (_online && fresh.Count > 0)
        {
            await Announce([.. fresh]);
        }
        int refused = messages.Length - accepted.Length;
        return new DeliveryResult(accepted.Length - (replayed?.Count ?? 0), refused, replayed?.ToArray());
    }

    /// <summary>
    /// Whether the client registered and is online, read once per activation: an inbox that comes
    /// back after its silo died announces to a connected client at once. Calls that came earlier
    /// wrote the store first, so what is read is no older than what they said.
    /// </summary>
    private async Task LoadClientAsync(string address)
    {
        if (!_clientLoaded)
        {
            var client = await store.GetClientAsync(address);
            _registered |= client is not null;
            _online = client?.Session is not null;
            _clientLoaded = true;
        }
    }

    public Task<InboxMessage[]> Read(long afterId, int maxMessages) =>
        store.ReadAsync(this.GetPrimaryKeyString(), afterId, Math.Clamp(maxMessages, 1, 10_000));

    public async Task Acknowledge(long[] ids)
    {
        await store.DeleteAsync(ids);
        // The count only guards the soft inbox limit, so adjust it instead of recounting on the
        // delivery path; it is re-read from the store when the grain next activates or after a sweep.
        if (_stored is { } stored)
        {
            _stored = Math.Max(0, stored - ids.Length);
            _fullReported &= _stored >= options.Value.Retention.MaxMessagesPerInbox;
        }
    }

    public Task MessagesExpired()
    {
        // Re-read before the next delivery: a count read before the sweep's DELETE would be too high.
        _stored = null;
        _fullReported = false;
        return Task.CompletedTask;
    }

    public Task ClientRegistered()
    {
        _registered = true;
        return Task.CompletedTask;
    }

    public Task SetOnline(bool online)
    {
        _online = online;
        return Task.CompletedTask;
    }

    private async Task Announce(InboxMessage[] stored)
    {
        try
        {
            await _stream.OnNextAsync(new InboxEvent(stored));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The messages are committed; the edge finds them on its next drain.
            LogAnnounceFailed(logger, ex, stored.Length, new ClientAddressPrefix(this.GetPrimaryKeyString()));
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "Dropping {Count} messages for unregistered client {Client}")]
    private static partial void LogUnregistered(ILogger logger, int count, ClientAddressPrefix client);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Inbox of {Client} is full ({Limit} messages); refusing new messages until the client takes some")]
    private static partial void LogFull(ILogger logger, ClientAddressPrefix client, int limit);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Could not announce {Count} stored messages for {Client}")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception error, int count, ClientAddressPrefix client);
}
