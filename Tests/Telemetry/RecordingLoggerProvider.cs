using Microsoft.Extensions.Logging;

namespace NymGateway.Tests.Telemetry;

/// <summary>A logger provider that keeps every line of every category as "Level: message".</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly RecordingLogger<RecordingLoggerProvider> _lines = new();

    public IReadOnlyList<string> Lines => _lines.Lines;

    public ILogger CreateLogger(string categoryName) => _lines;

    /// <summary>Stays readable after the host that used it disposed it.</summary>
    public void Dispose()
    {
    }
}
