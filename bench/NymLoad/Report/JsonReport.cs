using System.Text.Json;
using System.Text.Json.Serialization;

namespace NymGateway.Load.Report;

/// <summary>results.json: every figure of a run (the latency samples are in the plot only).</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Render(LoadResult result) => JsonSerializer.Serialize(result, Options);
}
