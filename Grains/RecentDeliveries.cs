namespace NymGateway.Grains;

/// <summary>
/// The results of an inbox's last few deliveries, by delivery id: a retry after a timeout is
/// answered from memory, without a store round trip. Only a fast path: the store alone stores a
/// retry once and answers it as the first attempt, also after a lost activation (the replay tags
/// keep the delivery id, and a full inbox gives a retry its own messages' room back).
/// </summary>
internal sealed class RecentDeliveries(int capacity)
{
    private readonly Dictionary<Guid, DeliveryResult> _results = [];
    private readonly Queue<Guid> _order = new();

    public bool TryGet(Guid deliveryId, out DeliveryResult result) =>
        _results.TryGetValue(deliveryId, out result!);

    public void Add(Guid deliveryId, DeliveryResult result)
    {
        if (!_results.TryAdd(deliveryId, result))
        {
            return;
        }
        _order.Enqueue(deliveryId);
        if (_order.Count > capacity)
        {
            _results.Remove(_order.Dequeue());
        }
    }
}
