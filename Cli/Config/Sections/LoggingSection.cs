using System.ComponentModel;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[logging]: empty in 0.9.2; ours holds the log levels (Logging__LogLevel__* and RUST_LOG override them).</summary>
public sealed class LoggingSection
{
    [Description("Least severe level logged: trace, debug, info, warn, error or off.")]
    public string Level { get; set; } = "info";

    [Description("Levels for log categories (a category and everything under it), e.g. \"Orleans\" = \"warn\".")]
    public Dictionary<string, string> Categories { get; set; } = new()
    {
        ["Orleans"] = "warn",
        ["Microsoft"] = "warn",
        ["System.Net.Http"] = "warn",
        ["Polly"] = "warn",
    };
}
