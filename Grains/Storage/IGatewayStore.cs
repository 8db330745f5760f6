namespace NymGateway.Grains.Storage;

/// <summary>
/// The gateway's durable state: the client ledger and the inbox messages. Writes are
/// committed before their task completes.
/// </summary>
public interface IGatewayStore
{
    /// <summary>Creates or updates the tables (idempotent).</summary>
    Task CreateSchemaAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records each message's replay tag and stores the message (unless it has no content) in the
    /// same transaction, unless the tag is recorded already; returns an outcome per message. The tag
    /// row remembers <paramref name="deliveryId"/>, so a retry of a committed delivery is told apart
    /// from a replay.
    /// </summary>
    /// <param name="replayTags">32 bytes per message, in order.</param>
    /// <param name="receivedAt">When the edge received the messages, unix milliseconds.</param>
    Task<AppendOutcome[]> AppendAsync(string address, IReadOnlyList<NewMessage> messages, ReadOnlyMemory<byte> replayTags, Guid deliveryId, long receivedAt);

    /// <summary>Per tag of <paramref name="replayTags"/>, the delivery that recorded it, or null when none did.</summary>
    Task<Guid?[]> FindReplayTagsAsync(ReadOnlyMemory<byte> replayTags);

    /// <summary>
    /// Reserves the next block of <see cref="IdBlocks.Size"/> message ids, above every id given
    /// before, for one inbox activation: ids increase per inbox, across activations and silos.
    /// </summary>
    Task<long> TakeIdBlockAsync();

    Task<InboxMessage[]> ReadAsync(string address, long afterId, int maxMessages);

    Task<int> CountAsync(string address);

    /// <summary>
    /// Deletes delivered messages. An id with no stored message is remembered: its message, if it
    /// is written later (an inbox briefly active on two silos while one stops), is not stored, or
    /// when the two commits overlap, never read.
    /// </summary>
    Task DeleteAsync(IReadOnlyList<long> ids);

    /// <summary>Deletes messages older than <paramref name="cutoff"/>; returns how many, per inbox that lost some.</summary>
    Task<IReadOnlyList<(string Address, int Count)>> DeleteOlderThanAsync(DateTimeOffset cutoff);

    /// <summary>
    /// Deletes the messages written after their acknowledgement, and forgets the acknowledgements
    /// made before <paramref name="cutoff"/>; returns how many messages.
    /// </summary>
    Task<int> DeleteAcknowledgedAsync(DateTimeOffset cutoff);

    /// <summary>Forgets replay tags recorded before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteReplayTagsOlderThanAsync(DateTimeOffset cutoff);

    /// <summary>The client's ledger row with its online session, or null when it never registered.</summary>
    Task<ClientRecord?> GetClientAsync(string address);

    Task PutClientAsync(string address, byte[] sharedKeys);

    /// <summary>Records <paramref name="session"/> as the one holding the client (replacing any other).</summary>
    Task SetSessionAsync(string address, Guid session);

    /// <summary>Forgets the client's session if it is still <paramref name="session"/>.</summary>
    Task ClearSessionAsync(string address, Guid session);

    /// <summary>Every stored message and every registered client, for the silo's gauges.</summary>
    Task<(long Messages, long Clients)> CountTotalsAsync(CancellationToken cancellationToken);

    /// <summary>Records <paramref name="identityKey"/> for the cluster unless one is recorded; returns the recorded one.</summary>
    Task<string> ClaimIdentityAsync(string clusterId, string identityKey);
}
