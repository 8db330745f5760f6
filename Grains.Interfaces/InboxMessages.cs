namespace NymGateway.Grains;

/// <summary>One inbox message: its id (given by the inbox, in the order it accepted them), its bytes, and when an edge received its packet (unix milliseconds).</summary>
[GenerateSerializer, Immutable]
public sealed record InboxMessage([property: Id(0)] long Id, [property: Id(1)] byte[] Content, [property: Id(2)] long ReceivedAt);

/// <summary>
/// What the inbox stream tells the edge that holds a client's socket: new messages (written, or
/// held by the inbox until their push completes), or that a newer session took the client over.
/// A notification only; the inbox keeps every message until it is acknowledged, so a lost event
/// delays delivery until the next drain, never loses a message.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record InboxEvent(
    [property: Id(0)] InboxMessage[] Messages,
    [property: Id(1)] Guid? SessionTakenOverBy = null);

/// <summary>
/// How many messages of a delivery were stored, how many refused (unknown client, full inbox),
/// and which were dropped as replays (their indices in the delivery; null when none), whose
/// SURB-ACKs must not leave.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DeliveryResult([property: Id(0)] int Stored, [property: Id(1)] int Refused, [property: Id(2)] int[]? Replayed = null)
{
    /// <summary>The answer to a delivery whose inbox accepted <paramref name="accepted"/> messages, of which those at <paramref name="replayed"/> were copies.</summary>
    public static DeliveryResult Of(int accepted, int refused, List<int> replayed)
    {
        replayed.Sort();
        return new(accepted - replayed.Count, refused, replayed.Count == 0 ? null : [.. replayed]);
    }
}

public static class InboxStreams
{
    /// <summary>Name of the Orleans stream provider that carries <see cref="InboxEvent"/>s.</summary>
    public const string Provider = "InboxEvents";

    /// <summary>Stream namespace; the key is the client's address in base58.</summary>
    public const string Namespace = "inbox";
}
