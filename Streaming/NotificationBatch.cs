using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace NymGateway.Streaming;

/// <summary>
/// The events one publish put on a stream, numbered by the queue that carries them. Events
/// travel as objects (no payload re-serialization as memory streams do): they are immutable.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NotificationBatch(
    [property: Id(0)] StreamId StreamId,
    [property: Id(1)] object[] Events,
    [property: Id(2)] long SequenceNumber) : IBatchContainer
{
    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(SequenceNumber);

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        var token = new EventSequenceTokenV2(SequenceNumber);
        return Events.OfType<T>().Select((e, i) => Tuple.Create<T, StreamSequenceToken>(e, token.CreateSequenceTokenForEvent(i)));
    }

    public bool ImportRequestContext() => false;
}
