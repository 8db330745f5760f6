using NymGateway.Grains.Storage;
using Orleans.Streams;

namespace NymGateway.Grains;

/// <summary>One client's ledger entry and the session that currently holds its socket.</summary>
public sealed class ClientGrain(IGatewayStore store) : Grain, IClientGrain
{
    private byte[]? _sharedKeys;
    private bool _loaded;
    private Guid? _session;

    public async Task Register(byte[] sharedKeys)
    {
        await store.PutClientAsync(this.GetPrimaryKeyString(), sharedKeys);
        _sharedKeys = sharedKeys;
        _loaded = true;
        await Inbox.ClientRegistered();
    }

    public async Task<byte[]?> GetSharedKeys()
    {
        if (!_loaded)
        {
            _sharedKeys = await store.GetClientAsync(this.GetPrimaryKeyString());
            _loaded = true;
        }
        return _sharedKeys;
    }

    public async Task TakeOver(Guid session)
    {
        var previous = _session;
        _session = session;
        await Inbox.SetOnline(true);
        if (previous is not null && previous != session)
        {
            var stream = this.GetStreamProvider(InboxStreams.Provider)
                .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, this.GetPrimaryKeyString()));
            await stream.OnNextAsync(new InboxEvent([], session));
        }
    }

    public async Task<bool> Heartbeat(Guid session)
    {
        if (_session is null)
        {
            // This grain was reactivated (or its silo died) while the session lived on.
            _session = session;
            await Inbox.SetOnline(true);
        }
        return _session == session;
    }

    public async Task Release(Guid session)
    {
        if (_session == session)
        {
            _session = null;
            await Inbox.SetOnline(false);
        }
    }

    private IInboxGrain Inbox => GrainFactory.GetGrain<IInboxGrain>(this.GetPrimaryKeyString());
}
