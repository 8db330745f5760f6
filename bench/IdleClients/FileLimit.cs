using System.Runtime.InteropServices;

namespace NymGateway.IdleClients;

/// <summary>The open-file limit (RLIMIT_NOFILE) of this process, which the gateway it starts inherits.</summary>
internal static partial class FileLimit
{
    private const int RlimitNofile = 7; // Linux

    /// <summary>Raises the soft and, as root, the hard limit to at least <paramref name="files"/>; the limit now.</summary>
    public static ulong RaiseTo(ulong files)
    {
        if (GetRlimit(RlimitNofile, out var limit) != 0)
        {
            throw new InvalidOperationException($"getrlimit failed: errno {Marshal.GetLastPInvokeError()}");
        }
        if (limit.Current >= files)
        {
            return limit.Current;
        }
        var wanted = new Limit(files, Math.Max(files, limit.Maximum));
        if (SetRlimit(RlimitNofile, in wanted) == 0)
        {
            return files;
        }
        // Not root: as far as the hard limit allows.
        var allowed = limit with { Current = limit.Maximum };
        return SetRlimit(RlimitNofile, in allowed) == 0 ? limit.Maximum : limit.Current;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Limit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRlimit(int resource, out Limit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRlimit(int resource, in Limit limit);
}
