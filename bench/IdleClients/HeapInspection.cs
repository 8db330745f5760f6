using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace NymGateway.IdleClients;

/// <summary>What the gateway's heap holds, from outside: a full GC on request, and the objects by type.</summary>
internal static class HeapInspection
{
    /// <summary>GC | GCHeapCollect: enabling an EventPipe session with these induces a full blocking GC, as dotnet-gcdump does.</summary>
    private const long GcKeywords = 0x1 | 0x800000;

    /// <summary>Induces a full blocking collection in process <paramref name="pid"/> and waits for it to finish.</summary>
    public static async Task CollectAsync(int pid)
    {
        var client = new DiagnosticsClient(pid);
        using var session = client.StartEventPipeSession(new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeywords), requestRundown: false);
        var draining = session.EventStream.CopyToAsync(Stream.Null);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await session.StopAsync(CancellationToken.None);
        await draining;
    }

    /// <summary>Bytes and count of every type on the heap of process <paramref name="pid"/>, from a dump of it (the runtime writes it; read, then deleted).</summary>
    public static Dictionary<string, (long Bytes, long Count)> ByType(int pid)
    {
        var dump = Path.Combine(Path.GetTempPath(), $"nym-idle-clients-{pid}-{Environment.TickCount64}.dmp");
        try
        {
            new DiagnosticsClient(pid).WriteDump(DumpType.WithHeap, dump);
            return ByType(dump);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    private static Dictionary<string, (long Bytes, long Count)> ByType(string dump)
    {
        using var target = DataTarget.LoadDump(dump);
        // The gateway runs on this process's runtime; its DAC there is not signed by Microsoft on a distribution's build of .NET.
        var dac = Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "libmscordaccore.so");
        using var runtime = target.ClrVersions[0].CreateRuntime(dac, ignoreMismatch: true);
        var types = new Dictionary<string, (long Bytes, long Count)>();
        foreach (var obj in runtime.Heap.EnumerateObjects())
        {
            if (!obj.IsValid || obj.IsFree)
            {
                continue;
            }
            var name = obj.Type?.Name ?? "?";
            var (bytes, count) = types.GetValueOrDefault(name);
            types[name] = (bytes + (long)obj.Size, count + 1);
        }
        return types;
    }
}
