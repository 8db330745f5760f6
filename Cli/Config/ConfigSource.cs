namespace NymGateway.Cli.Config;

/// <summary>The file a config came from and the line of each key in it, so later checks can point at the line.</summary>
public sealed class ConfigSource(string path, IReadOnlyDictionary<string, int> lines)
{
    public string Path { get; } = path;

    /// <summary>"path:line: [section] key" for a key the file sets, "path: [section] key" for a default.</summary>
    public string At(string section, string key) =>
        lines.TryGetValue($"{section}.{key}", out int line) ? $"{Path}:{line}: [{section}] {key}" : $"{Path}: [{section}] {key}";

    /// <summary>The key on <paramref name="line"/>, as <see cref="At"/> names it.</summary>
    public string AtLine(int line)
    {
        var key = lines.FirstOrDefault(l => l.Value == line).Key;
        if (key is null)
        {
            return $"{Path}:{line}:";
        }
        int dot = key.IndexOf('.', StringComparison.Ordinal);
        return At(key[..dot], key[(dot + 1)..]);
    }
}
