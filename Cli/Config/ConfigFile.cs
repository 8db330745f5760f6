using System.Text.Json.Serialization;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace NymGateway.Cli.Config;

/// <summary>Reads <c>config.toml</c> strictly (unknown or mistyped keys are refused with their line) and writes it rendered from the model.</summary>
public static class ConfigFile
{
    /// <summary>Loads a config; a <see cref="ConfigException"/> says in one line what is wrong and where.</summary>
    public static GatewayConfig Load(string path)
    {
        var text = File.ReadAllText(path);
        var options = Options(path);
        var document = SyntaxParser.Parse(text, options, path, true);
        if (document.HasErrors)
        {
            var error = document.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error);
            throw new ConfigException($"{path}:{error.Span.Start.Line + 1}: {error.Message}");
        }
        var source = new ConfigSource(path, ConfigKeyCheck.Check(document, path));
        GatewayConfig config;
        try
        {
            config = TomlSerializer.Deserialize<GatewayConfig>(text, options)!;
        }
        catch (TomlException ex)
        {
            // Tomlyn prefixes "path(line,column) : error : "; the key's name says more than the column.
            var reason = ex.Message[(ex.Message.LastIndexOf(" : error : ", StringComparison.Ordinal) + 11)..].Trim();
            throw new ConfigException($"{source.AtLine(ex.Line ?? 0)}: {reason}");
        }
        config.GatewayDirectory = GatewayConfig.GatewayDirectoryOf(path);
        config.Source = source;
        return config;
    }

    /// <summary>Writes the config to its file, atomically; 0600 when it holds a password.</summary>
    public static void Save(GatewayConfig config) =>
        SecretFile.Write(config.ConfigFilePath, ConfigRenderer.Render(config), ConfigRenderer.HoldsSecret(config));

    private static TomlSerializerOptions Options(string path) => new()
    {
        PropertyNamingPolicy = ConfigSchema.Naming,
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Replace,
        SourceName = path,
        Converters = [new HumanDurationConverter(), new EndPointConverter()],
    };
}
