using Orleans.Concurrency;

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
    /// on whatever edge, is told through the inbox stream to close. Returns that older session
    /// (null when none held the client).
    /// </summary>
    Task<Guid?> TakeOver(Guid session);

    /// <summary>
    /// Completes once <paramref name="session"/>, taken over, released the client (after its
    /// pushes were acknowledged), or after <see cref="ReleaseWait"/>; at once when this entry does
    /// not know it as taken over. A new session drains only then, or it would push again what the
    /// old one pushed and its acknowledgements had not yet deleted.
    /// </summary>
    [AlwaysInterleave]
    Task Released(Guid session);

    /// <summary>How long a session that ends waits for its acknowledgements before it releases the client.</summary>
    static readonly TimeSpan AcknowledgementWait = TimeSpan.FromSeconds(5);

    /// <summary>A bit more than <see cref="AcknowledgementWait"/>: the release follows it.</summary>
    static readonly TimeSpan ReleaseWait = AcknowledgementWait + TimeSpan.FromSeconds(1);

    /// <summary>
    /// Re-asserts a live session (and keeps both grains active); false when another session has
    /// taken the client over, so the caller should close.
    /// </summary>
    Task<bool> Heartbeat(Guid session);

    /// <summary>Forgets the session if it is still the current one.</summary>
    Task Release(Guid session);
}
