using System.Diagnostics;
using System.Text;

namespace NymGateway.Fleet;

/// <summary>A nym-gateway process (silo or edge), or another command, whose output is captured, so tests can wait for lines and kill -9 it.</summary>
public sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    private GatewayProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The process id, to read its CPU time and memory from /proc.</summary>
    public int Id => _process.Id;

    /// <summary>Resident memory now, from /proc (Linux).</summary>
    public long ResidentBytes => long.Parse(File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))[6..^2].Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;

    public static GatewayProcess Start(string home, params string[] args) => Start(home, new Dictionary<string, string?>(), args);

    /// <param name="environment">Variables set for the process on top of this one's (null removes one).</param>
    public static GatewayProcess Start(string home, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        StartCommand("dotnet", [Dll, .. args], new Dictionary<string, string?>(environment) { ["HOME"] = home });

    /// <summary>The nym-gateway the tests run, copied next to them by the build.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "nym-gateway.dll");

    /// <summary>Any command with its output captured the same way (the fleet tests run nym-gateway under `ip netns exec`).</summary>
    /// <param name="environment">Variables set for the process on top of this one's (null removes one).</param>
    public static GatewayProcess StartCommand(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var gateway = new GatewayProcess(Process.Start(start)!);
        gateway._process.OutputDataReceived += (_, e) => gateway.OnLine(e.Data);
        gateway._process.ErrorDataReceived += (_, e) => gateway.OnLine(e.Data);
        gateway._process.BeginOutputReadLine();
        gateway._process.BeginErrorReadLine();
        return gateway;
    }

    public static Task<(int ExitCode, string Output)> RunToEndAsync(string home, params string[] args) =>
        RunToEndAsync(home, new Dictionary<string, string?>(), args);

    public static async Task<(int ExitCode, string Output)> RunToEndAsync(string home, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(home, environment, args);
        return await process.ExitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits for the process to exit by itself; a TimeoutException after <paramref name="timeout"/>.</summary>
    public async Task<(int ExitCode, string Output)> ExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // flushes the redirected output
        return (ExitCode, Output);
    }

    /// <summary>Waits until the process printed <paramref name="text"/>; fails with its output if it exits or times out first.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        TaskCompletionSource seen;
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }
            seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
        }
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (first != seen.Task)
        {
            throw new TimeoutException($"process did not print '{text}' ({(first == exited ? "it exited" : "timed out")}). Output:\n{Output}");
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Sends a signal (INT for Ctrl-C, TERM) and waits for the process to exit.</summary>
    public async Task SignalAndWaitAsync(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }
        await SignalAsync(signal);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(45));
    }

    /// <summary>Sends a signal (STOP and CONT pause and resume it) and returns at once.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits until the process exited by itself, up to <paramref name="timeout"/>; whether it did.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout) =>
        await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(timeout)) is { IsCompletedSuccessfully: true } && _process.HasExited;

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
