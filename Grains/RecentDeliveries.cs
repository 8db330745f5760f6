namespace NymGateway.Grains;

/// <summary>
/// The results of an inbox's last few deliveries, by delivery id, so a caller's retry after a
/// timeout does not store the same messages twice. Only a lost activation (a dead silo) forgets
/// them: duplicates are then possible, inside that crash window only.
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
