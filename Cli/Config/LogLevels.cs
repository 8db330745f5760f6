namespace NymGateway.Cli.Config;

/// <summary>Log level names as [logging] and RUST_LOG spell them (Rust's and .NET's names both work).</summary>
public static class LogLevels
{
    public const string Known = "trace, debug, info, warn, error or off";

    public static bool TryParse(string name, out LogLevel level)
    {
        LogLevel? parsed = name.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" or "information" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            "off" or "none" => LogLevel.None,
            _ => null,
        };
        level = parsed ?? LogLevel.None;
        return parsed is not null;
    }
}
