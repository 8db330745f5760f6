using Microsoft.Extensions.Configuration.Memory;
using NymGateway.Cli.Config;

namespace NymGateway.Cli.Hosting;

/// <summary>
/// Console logging with the levels of [logging]; RUST_LOG overrides them, and the standard
/// Logging__LogLevel__* environment variables override both (they are configuration too, read after).
/// </summary>
public static class GatewayLogging
{
    public static void Configure(ILoggingBuilder logging, IConfigurationManager configuration, GatewayConfig config)
    {
        var levels = new Dictionary<string, string?>();
        Set(levels, "Default", config.Logging.Level);
        foreach (var (category, level) in config.Logging.Categories)
        {
            Set(levels, category, level);
        }
        RustLog.AddTo(levels, Environment.GetEnvironmentVariable("RUST_LOG"));
        // First source, so the host's environment variables (added before us, read after it) win.
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = levels });

        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        // Its start and service failures come with whole stack traces; GatewayRunner prints them as one line each.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        logging.AddSimpleConsole(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
            o.SingleLine = true;
        });
    }

    /// <summary>A level under Logging:LogLevel, in .NET's names (the validator accepted the name).</summary>
    public static void Set(Dictionary<string, string?> levels, string category, string level)
    {
        if (LogLevels.TryParse(level, out var parsed))
        {
            levels[$"Logging:LogLevel:{category}"] = parsed.ToString();
        }
    }
}
