using Orleans.Concurrency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NymGateway.Grains.Storage;
using Orleans.Streams;

namespace NymGateway.Grains;

/// <summary>
/// One client's inbox. Deliveries are refused for clients that never registered (0.9.2 keeps
/// no inbox for them either) and beyond the per-inbox limit; everything accepted is committed
/// before the call returns, then announced on the client's stream while the client is online
/// (an offline client's edge drains the store when it connects, so nobody listens before).
/// </summary>
public sealed class InboxGrain(IGatewayStore store, IOptions<GatewayStoreOptions> options, ILogger<InboxGrain> logger)
    : Grain, IInboxGrain
{
    private IAsyncStream<InboxEvent> _stream = null!;
    private bool? _registered;
    private bool _online;
    private int? _stored;
    private readonly RecentDeliveries _recent = new(64);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stream = this.GetStreamProvider(InboxStreams.Provider)
            .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, this.GetPrimaryKeyString()));
        return Task.CompletedTask;
    }

    public async Task<DeliveryResult> Deliver(Guid deliveryId, Immutable<byte[][]> batch)
    {
        if (_recent.TryGet(deliveryId, out var earlier))
        {
            return earlier;
        }
        var result = await Store(batch.Value);
        _recent.Add(deliveryId, result);
        return result;
    }

    private async Task<DeliveryResult> Store(byte[][] messages)
    {
        var address = this.GetPrimaryKeyString();
        _registered ??= await store.GetClientAsync(address) is not null;
        if (_registered != true)
        {
            logger.LogDebug("Dropping {Count} messages for unregistered client {Client}", messages.Length, address);
            return new DeliveryResult(0, messages.Length);
        }

        _stored ??= await store.CountAsync(address);
        int room = Math.Max(0, options.Value.MaxMessagesPerInbox - _stored.Value);
        var accepted = messages.Length <= room ? messages : messages[..room];
        if (accepted.Length < messages.Length)
        {
            logger.LogWarning("Inbox of {Client} is full ({Limit} messages); dropping {Count}",
                address, options.Value.MaxMessagesPerInbox, messages.Length - accepted.Length);
        }
        if (accepted.Length == 0)
        {
            return new DeliveryResult(0, messages.Length);
        }

        var ids = await store.AppendAsync(address, accepted);
        _stored += ids.Length;
        if (_online)
        {
            await Announce(ids, accepted);
        }
        return new DeliveryResult(ids.Length, messages.Length - ids.Length);
    }

    public Task<InboxMessage[]> Read(long afterId, int maxMessages) =>
        store.ReadAsync(this.GetPrimaryKeyString(), afterId, Math.Clamp(maxMessages, 1, 10_000));

    public async Task Acknowledge(long[] ids)
    {
        await store.DeleteAsync(ids);
        // The count only guards the soft inbox limit, so adjust it instead of recounting on the
        // delivery path; it is re-read from the store when the grain next activates.
        if (_stored is { } stored)
        {
            _stored = Math.Max(0, stored - ids.Length);
        }
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

    private async Task Announce(long[] ids, byte[][] messages)
    {
        var stored = new InboxMessage[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            stored[i] = new InboxMessage(ids[i], messages[i]);
        }
        try
        {
            await _stream.OnNextAsync(new InboxEvent(stored));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The messages are committed; the edge finds them on its next drain.
            logger.LogWarning(ex, "Could not announce {Count} stored messages for {Client}", ids.Length, this.GetPrimaryKeyString());
        }
    }
}
