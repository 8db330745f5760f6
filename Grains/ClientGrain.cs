using NymGateway.Grains.Storage;

namespace NymGateway.Grains;

/// <summary>
/// One client's ledger entry and the session that currently holds its socket. The session is kept
/// in the store with the ledger row, so neither this grain nor the inbox forgets who is online
/// when its silo dies; an edge that dies leaves its sessions recorded, which costs the inbox a
/// stream event per delivery until the client connects again (and takes over).
/// </summary>
public sealed class ClientGrain(IGatewayStore store) : Grain, IClientGrain
{
    private byte[]? _sharedKeys;
    private bool _loaded;
    private Guid? _session;

    /// <summary>Sessions taken over and not yet released: the new one waits for them (<see cref="Released"/>).</summary>
    private readonly Dictionary<Guid, TaskCompletionSource> _ending = [];

    public async Task Register(byte[] sharedKeys)
    {
        await store.PutClientAsync(Address, sharedKeys);
        _sharedKeys = sharedKeys;
        await Inbox.ClientRegistered();
    }

    public async Task<byte[]?> GetSharedKeys()
    {
        await LoadAsync();
        return _sharedKeys;
    }

    public async Task<Guid?> TakeOver(Guid session)
    {
        await LoadAsync();
        var previous = _session;
        await SetSessionAsync(session);
        if (previous is not { } older || older == session)
        {
            return null;
        }
        _ending.TryAdd(older, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var stream = this.GetStreamProvider(InboxStreams.Provider)
            .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, Address));
        await stream.OnNextAsync(new InboxEvent([], session));
        return older;
    }

    public async Task Released(Guid session)
    {
        if (!_ending.TryGetValue(session, out var ending))
        {
            return;
        }
        await ending.Task.WaitAsync(IClientGrain.ReleaseWait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        _ending.Remove(session); // released, or gone with its edge
    }

    public async Task<bool> Heartbeat(Guid session)
    {
        await LoadAsync();
        if (_session is null)
        {
            // None recorded while this socket lives on (say, it connected before sessions were kept): it holds the client.
            await SetSessionAsync(session);
        }
        return _session == session;
    }

    public async Task Release(Guid session)
    {
        if (_ending.Remove(session, out var ending))
        {
            ending.TrySetResult();
        }
        await LoadAsync();
        if (_session == session)
        {
            await store.ClearSessionAsync(Address, session);
            _session = null;
            await Inbox.SetOnline(false);
        }
    }

    /// <summary>Recorded before the inbox hears of it: an inbox that activates meanwhile reads it from the store.</summary>
    private async Task SetSessionAsync(Guid session)
    {
        await store.SetSessionAsync(Address, session);
        _session = session;
        await Inbox.SetOnline(true);
    }

    private async Task LoadAsync()
    {
        if (!_loaded)
        {
            var client = await store.GetClientAsync(Address);
            (_sharedKeys, _session) = (client?.SharedKeys, client?.Session);
            _loaded = true;
        }
    }

    private string Address => this.GetPrimaryKeyString();

    private IInboxGrain Inbox => GrainFactory.GetGrain<IInboxGrain>(Address);
}
