namespace NymGateway.IdleClients;

/// <summary>
/// The gateway's memory at one point of a run: resident set from /proc as found and after an induced
/// full GC, the rest (after that GC) from its System.Runtime meter on /metrics.
/// </summary>
internal sealed record MemorySample(
    string Point,
    double AtSeconds,
    long ResidentFoundBytes,
    long ResidentBytes,
    long GcHeapBytes,
    long GcCommittedBytes,
    long GcFragmentationBytes,
    long GcCollections,
    long Timers,
    double CpuSeconds,
    int Connected)
{
    public static async Task<MemorySample> TakeAsync(string point, IdleGateway gateway, TimeSpan at)
    {
        long found = gateway.Process.ResidentBytes;
        await HeapInspection.CollectAsync(gateway.Process.Id);
        var page = await gateway.ScrapeAsync();
        long Bytes(string name) => (long)page.ValueOrZero(name);
        return new MemorySample(point, Math.Round(at.TotalSeconds, 1), found, gateway.Process.ResidentBytes,
            Bytes("dotnet_gc_last_collection_heap_size_bytes"),
            Bytes("dotnet_gc_last_collection_memory_committed_size_bytes"),
            Bytes("dotnet_gc_last_collection_heap_fragmentation_size_bytes"),
            Bytes("dotnet_gc_collections_total"),
            Bytes("dotnet_timer_count"),
            Math.Round(page.ValueOrZero("dotnet_process_cpu_time_seconds_total"), 1),
            (int)page.ValueOrZero("nym_gateway_clients_connected"));
    }
}
