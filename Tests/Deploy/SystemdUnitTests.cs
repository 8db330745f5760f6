using System.Diagnostics;
using NymGateway.Fleet;
using Xunit;

namespace NymGateway.Tests.Deploy;

/// <summary>
/// The systemd units in deploy/systemd pass `systemd-analyze verify` without a warning. systemd need
/// not run (it is not PID 1 on CI), so the units are only checked, never started. verify insists that
/// ExecStart's binary exists: the units are checked as scripts/install.sh installs them into another
/// directory, with a stand-in executable there.
/// </summary>
[Trait("Category", "Deploy")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SystemdUnitTests : IDisposable
{
    private const string InstallDirectory = "/opt/nym-gateway";
    private readonly TemporaryHome _dir = new("nym-gateway-units");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("nym-gateway@.service", "run")]
    [InlineData("nym-gateway-silo@.service", "silo")]
    [InlineData("nym-gateway-edge@.service", "edge")]
    public async Task Unit_verifies_without_warnings(string unit, string command)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "systemd", unit));
        Assert.Contains($"ExecStart={InstallDirectory}/nym-gateway {command} --id %i", text, StringComparison.Ordinal);
        var binary = Path.Combine(_dir.Path, "nym-gateway");
        await File.WriteAllTextAsync(binary, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var installed = Path.Combine(_dir.Path, unit);
        await File.WriteAllTextAsync(installed, text.Replace(InstallDirectory, _dir.Path, StringComparison.Ordinal));

        var (exitCode, output) = await VerifyAsync(installed);

        Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify {unit} exited {exitCode}:\n{output}");
    }

    private static async Task<(int ExitCode, string Output)> VerifyAsync(string unitFile)
    {
        var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("verify");
        start.ArgumentList.Add(unitFile);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"systemd-analyze is missing ({ex.Message}): install Debian's systemd package (.ci/run does).", ex);
        }
        using var _ = process;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, (await output + await error).Trim());
    }
}
