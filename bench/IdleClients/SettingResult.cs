namespace NymGateway.IdleClients;

/// <summary>One GC setting's run: the samples in order (started, connected, idle, disconnected, settled) and how long the connects took.</summary>
internal sealed record SettingResult(string Setting, string Description, int Clients, double ConnectSeconds, double StormSeconds, IReadOnlyList<MemorySample> Samples)
{
    public MemorySample this[string point] => Samples.Single(s => s.Point == point);

    /// <summary>Resident bytes one idle client costs: after the idle wait against before the connects.</summary>
    public double ResidentPerClient => (double)(this["idle"].ResidentBytes - this["started"].ResidentBytes) / Clients;

    /// <summary>GC heap bytes one idle client holds (as of the last collection).</summary>
    public double HeapPerClient => (double)(this["idle"].GcHeapBytes - this["started"].GcHeapBytes) / Clients;
}
