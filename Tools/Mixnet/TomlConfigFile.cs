using System.Text.Json;
using Tomlyn;

namespace NymGateway.Mixnet;

/// <summary>The tools' config.toml files: snake_case keys, as 0.9.2 writes them.</summary>
public static class TomlConfigFile
{
    private static readonly TomlSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static T Load<T>(string path) => TomlSerializer.Deserialize<T>(File.ReadAllText(path), Options)
        ?? throw new InvalidDataException($"{path} is empty");

    public static void Save<T>(T config, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, TomlSerializer.Serialize(config, Options));
    }
}
