using Orleans.Concurrency;

namespace NymGateway.Grains;

/// <summary>
/// The undelivered messages of one client (keyed by the client's address in base58), in
/// arrival order. Each message is durable or pushed to its client before <see cref="Deliver"/>
/// returns, and is deleted only when the edge acknowledges that its websocket send completed.
/// </summary>
public interface IInboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the messages, or, while the client is connected, announces them on its stream first and
    /// writes only those whose push did not complete within the write delay. A message whose
    /// replay tag another delivery stored within the replay window is dropped as a replay. A retry
    /// with the same <paramref name="deliveryId"/> (the caller timed out after the commit) stores
    /// nothing again and returns the first call's result, also after the inbox lost its memory of it.
    /// </summary>
    /// <param name="replayTags">The messages' packets' replay tags, 32 bytes each, in order.</param>
    /// <param name="receivedAt">When the edge received the packets (unix milliseconds): the age limit and the push latency count from there.</param>
    Task<DeliveryResult> Deliver(Guid deliveryId, Immutable<byte[][]> messages, Immutable<byte[]> replayTags, long receivedAt);

    /// <summary>
    /// True once the delivery with this id has its message ids (or was refused or dropped as
    /// copies), so a delivery sent after that is numbered, and announced, after it; an edge sends
    /// it beside <see cref="Deliver"/> and sends the connection's next batch then, while the first
    /// waits for its pushes or its write. False when the delivery failed first, or did not arrive
    /// within 2 s (one that comes before its delivery waits for it): then the edge waits for the
    /// delivery's retries, which are numbered later, before it sends the next.
    /// </summary>
    Task<bool> Numbered(Guid deliveryId);

    /// <summary>Undelivered messages (written or held) with an id above <paramref name="afterId"/>, oldest first.</summary>
    Task<InboxMessage[]> Read(long afterId, int maxMessages);

    /// <summary>Forgets messages whose push to the client completed: deleted, or never written.</summary>
    Task Acknowledge(long[] ids);

    /// <summary>
    /// Called by the cluster's age sweep after it deleted some of this inbox's messages: the inbox
    /// re-reads its count from the store before it next uses it (the count is the inbox's alone).
    /// </summary>
    Task MessagesExpired();

    /// <summary>Called by the client's ledger entry when it registers, so deliveries are accepted.</summary>
    Task ClientRegistered();

    /// <summary>Called by the client's ledger entry: whether some edge holds the client's socket (and so listens on its stream).</summary>
    Task SetOnline(bool online);
}
