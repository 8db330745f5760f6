using Tomlyn.Serialization;

namespace NymGateway.Cli.Config;

/// <summary>Binds durations as 0.9.2 writes them: humantime strings ("10s", "1500ms") or a bare number of milliseconds.</summary>
public sealed class HumanDurationConverter : TomlConverter<TimeSpan>
{
    public override TimeSpan Read(TomlReader reader) => reader.TokenType switch
    {
        TomlTokenType.Integer when reader.GetInt64() is >= 0 and var ms => TimeSpan.FromMilliseconds(ms),
        TomlTokenType.String when HumanDuration.TryParse(reader.GetString(), out var value) => value,
        _ => throw reader.CreateException($"expected a duration such as \"10s\" or \"1500ms\", found {reader.GetRawText()}"),
    };

    public override void Write(TomlWriter writer, TimeSpan value) => writer.WriteStringValue(HumanDuration.Format(value));
}
