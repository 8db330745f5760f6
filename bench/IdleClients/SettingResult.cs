namespace NymGateway.IdleClients;

/// <summary>
/// One GC setting's run: the samples in order (started, connected, idle, disconnected, settled), how
/// long the connects and the storm took, and the heap's types that grew most per idle client and
/// that the storm left behind.
/// </summary>
internal sealed record SettingResult(
    string Setting,
    string Description,
    int Clients,
    double ConnectSeconds,
    double StormSeconds,
    IReadOnlyList<MemorySample> Samples,
    IReadOnlyList<TypeGrowth> PerIdleClient,
    IReadOnlyList<TypeGrowth> LeftAfterStorm)
{
    public MemorySample this[string point] => Samples.Single(s => s.Point == point);

    /// <summary>Resident bytes one idle client costs: after the idle wait against before the connects.</summary>
    public double ResidentPerClient => (double)(this["idle"].ResidentBytes - this["started"].ResidentBytes) / Clients;

    /// <summary>GC heap bytes one idle client holds (as of the last collection).</summary>
    public double HeapPerClient => (double)(this["idle"].GcHeapBytes - this["started"].GcHeapBytes) / Clients;
}

/// <summary>How much more of one type the heap held, in bytes and objects per client.</summary>
internal sealed record TypeGrowth(string Type, double BytesPerClient, double ObjectsPerClient)
{
    /// <summary>The <paramref name="top"/> types that grew most from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static IReadOnlyList<TypeGrowth> Between(Dictionary<string, (long Bytes, long Count)> before, Dictionary<string, (long Bytes, long Count)> after, int clients, int top) =>
        [.. after.Select(t => (t.Key, Bytes: t.Value.Bytes - before.GetValueOrDefault(t.Key).Bytes, Count: t.Value.Count - before.GetValueOrDefault(t.Key).Count))
            .OrderByDescending(t => t.Bytes)
            .Take(top)
            .Select(t => new TypeGrowth(t.Key, Math.Round((double)t.Bytes / clients, 1), Math.Round((double)t.Count / clients, 2)))];
}
