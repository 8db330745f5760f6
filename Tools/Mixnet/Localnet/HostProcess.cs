using System.Diagnostics;
using System.Globalization;

namespace NymGateway.Mixnet.Localnet;

/// <summary>
/// One nym-gateway process of the localnet (run, silo or edge): its output goes to a log file
/// of its own, and <see cref="WaitForAsync"/> waits for the line that says it is ready.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    private HostProcess(Process process, string logFile)
    {
        _process = process;
        _log = new StreamWriter(logFile) { AutoFlush = true };
        LogFile = logFile;
    }

    public string LogFile { get; }

    public bool HasExited => _process.HasExited;

    /// <param name="command">The program and its first arguments, e.g. dotnet and the path of nym-gateway.dll.</param>
    public static HostProcess Start(IReadOnlyList<string> command, IEnumerable<string> args, string home, string logFile)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1).Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        // The gateway keeps everything under $HOME/.nym: the localnet's directory, not the user's.
        start.Environment["HOME"] = home;
        var host = new HostProcess(Process.Start(start)!, logFile);
        host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Runs a command to its end; its exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> command, IEnumerable<string> args, string home, string logFile, TimeSpan timeout)
    {
        await using var host = Start(command, args, home, logFile);
        await host._process.WaitForExitAsync().WaitAsync(timeout);
        host._process.WaitForExit(); // flushes the redirected output
        return host._process.ExitCode;
    }

    /// <summary>Waits until the process printed <paramref name="text"/>; an exception naming its log if it exits or times out first.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add((text, seen));
        }
        var first = await Task.WhenAny(seen.Task, _process.WaitForExitAsync(), Task.Delay(timeout));
        if (first != seen.Task)
        {
            throw new InvalidOperationException($"{_process.StartInfo.ArgumentList.Skip(1).FirstOrDefault()} did not print '{text}' ({(_process.HasExited ? "it exited" : "timed out")}); see {LogFile}");
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_waiters)
        {
            _log.WriteLine(line);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>SIGTERM (never ignored, unlike SIGINT in a background job) and a wait for the graceful stop; a kill after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(30));
        _process.WaitForExit();
        _process.Dispose();
        lock (_waiters)
        {
            _log.Dispose();
        }
    }
}
