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
        await GrainFactory.GetGrain<IInboxGrain>(this.GetPrimaryKeyString()).ClientRegistered();
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
        if (previous is not null && previous != session)
        {
            var stream = this.GetStreamProvider(InboxStreams.Provider)
                .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, this.GetPrimaryKeyString()));
            await stream.OnNextAsync(new InboxEvent([], session));
        }
    }

    public Task Release(Guid session)
    {
        if (_session == session)
        {
            _session = null;
        }
        return Task.CompletedTask;
    }
}
