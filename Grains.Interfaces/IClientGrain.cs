namespace NymGateway.Grains;

/// <summary>
/// One client's ledger entry (keyed by its address in base58): the shared keys from its
/// registration handshake, and which websocket session currently holds it.
/// </summary>
public interface IClientGrain : IGrainWithStringKey
{
    /// <summary>Stores (or replaces) the client's shared keys.</summary>
    Task Register(byte[] sharedKeys);

    /// <summary>The client's shared keys, or null when it never registered.</summary>
    Task<byte[]?> GetSharedKeys();

    /// <summary>
    /// Records <paramref name="session"/> as the client's live connection; an older session,
    /// on whatever edge, is told through the inbox stream to close.
    /// </summary>
    Task TakeOver(Guid session);

    /// <summary>
    /// Re-asserts a live session (and keeps both grains active); false when another session has
    /// taken the client over, so the caller should close.
    /// </summary>
    Task<bool> Heartbeat(Guid session);

    /// <summary>Forgets the session if it is still the current one.</summary>
    Task Release(Guid session);
}
