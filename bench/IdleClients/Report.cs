using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NymGateway.IdleClients;

/// <summary>The results as a markdown table (printed) and JSON with every sample (written).</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] Points = ["started", "connected", "idle", "disconnected", "settled"];

    public static string Markdown(string command, string load, IReadOnlyList<SettingResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{command}`; load average at start {load}; RSS in MiB, GC heap (after the last collection) in MiB.");
        text.AppendLine();
        text.AppendLine("| setting | " + string.Join(" | ", Points.Select(p => $"RSS {p}")) + " | GC heap idle | GC heap settled | KiB RSS / client | KiB heap / client | connect s | CPU s |");
        text.AppendLine("|---" + string.Concat(Enumerable.Repeat("|--:", Points.Length + 6)) + "|");
        foreach (var r in results)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {r.Setting} | ");
            text.Append(string.Join(" | ", Points.Select(p => Mib(r[p].ResidentBytes))));
            text.AppendLine(CultureInfo.InvariantCulture,
                $" | {Mib(r["idle"].GcHeapBytes)} | {Mib(r["settled"].GcHeapBytes)} | {r.ResidentPerClient / 1024:F1} | {r.HeapPerClient / 1024:F1} | {r.ConnectSeconds:F1} | {r["settled"].CpuSeconds:F0} |");
        }
        foreach (var r in results)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Setting}: the heap's types that grew most, per client (live objects after a full GC), while idle and after the storm:");
            text.AppendLine();
            text.AppendLine("| type | bytes / idle client | objects | bytes / client after the storm | objects |");
            text.AppendLine("|---|--:|--:|--:|--:|");
            foreach (var t in r.PerIdleClient)
            {
                var left = r.LeftAfterStorm.FirstOrDefault(l => l.Type == t.Type);
                text.AppendLine(CultureInfo.InvariantCulture, $"| `{t.Type}` | {t.BytesPerClient:F0} | {t.ObjectsPerClient:F2} | {left?.BytesPerClient.ToString("F0", CultureInfo.InvariantCulture) ?? "-"} | {left?.ObjectsPerClient.ToString("F2", CultureInfo.InvariantCulture) ?? "-"} |");
            }
        }
        return text.ToString();
    }

    /// <summary>Writes `idle-clients-N-TIME.json` (and .md) under <paramref name="directory"/>, or again to <paramref name="path"/>; the path without extension.</summary>
    public static async Task<string> WriteAsync(string directory, string command, string load, IReadOnlyList<SettingResult> results, string? path)
    {
        Directory.CreateDirectory(directory);
        path ??= Path.Combine(directory, $"idle-clients-{results[0].Clients}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        await File.WriteAllTextAsync(path + ".json", JsonSerializer.Serialize(new { command, load, results }, Indented));
        await File.WriteAllTextAsync(path + ".md", Markdown(command, load, results));
        return path;
    }

    private static string Mib(long bytes) => (bytes / 1024.0 / 1024).ToString("F0", CultureInfo.InvariantCulture);
}
