using Microsoft.Extensions.Logging;

namespace NymGateway.Mixnet;

/// <summary>One-line console logs with a timestamp, as the tools print them.</summary>
public static class ToolLogging
{
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(minimum)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
        }));
}
