namespace NymGateway.IdleClients;

/// <summary>A garbage collector configuration the gateway is started with, as environment variables (they override its runtimeconfig).</summary>
internal sealed record GcSetting(string Name, string Description, IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>Every setting the benchmark knows, by name (the GC reads these values as hexadecimal).</summary>
    public static readonly IReadOnlyList<GcSetting> All =
    [
        new("shipped", "what nym-gateway's runtimeconfig says", new Dictionary<string, string?>()),
        new("workstation", "Workstation GC, concurrent", new Dictionary<string, string?> { ["DOTNET_gcServer"] = "0" }),
        new("server", "Server GC without DATAS", new Dictionary<string, string?> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "0" }),
        new("datas", "Server GC with DATAS (.NET 10's default for Server GC)", new Dictionary<string, string?> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "1" }),
        new("conserve5", "Server GC, DATAS, GCConserveMemory=5", new Dictionary<string, string?> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "1", ["DOTNET_GCConserveMemory"] = "5" }),
        new("conserve7", "Server GC, DATAS, GCConserveMemory=7", new Dictionary<string, string?> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "1", ["DOTNET_GCConserveMemory"] = "7" }),
    ];

    public static GcSetting Named(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"unknown GC setting '{name}' (known: {string.Join(", ", All.Select(s => s.Name))})");
}
