using System.Globalization;

namespace NymGateway.Fleet;

/// <summary>
/// A cgroup v1 group in the cpu and cpuacct controllers (separate or co-mounted hierarchies, as
/// /proc/self/mountinfo says): a CPU quota, and the CPU time its processes used. A process joins
/// before it runs (a shell writes its own pid, then execs the command), so all it forks is in the
/// group too; `ip netns exec` hides /sys/fs/cgroup, so the group is joined outside the namespace.
/// Disposing kills what is left in the group and removes it. Needs root.
/// </summary>
public sealed class CpuGroup : IAsyncDisposable
{
    private readonly string _cpu;
    private readonly string _cpuacct;

    private CpuGroup(string name, string cpu, string cpuacct)
    {
        Name = name;
        _cpu = cpu;
        _cpuacct = cpuacct;
    }

    public string Name { get; }

    /// <summary>A new empty group <paramref name="name"/> (no quota); an existing one of that name is refused.</summary>
    public static CpuGroup Create(string name)
    {
        var (cpuRoot, cpuacctRoot) = Roots();
        var group = new CpuGroup(name, Path.Combine(cpuRoot, name), Path.Combine(cpuacctRoot, name));
        foreach (var directory in group.Directories)
        {
            if (Directory.Exists(directory))
            {
                throw new InvalidOperationException($"the cgroup {directory} exists already");
            }
            Directory.CreateDirectory(directory);
        }
        return group;
    }

    /// <summary>The names of existing groups that start with <paramref name="prefix"/> (leftovers of a run that was killed).</summary>
    public static IReadOnlyList<string> Existing(string prefix)
    {
        var (cpuRoot, cpuacctRoot) = Roots();
        return [.. new[] { cpuRoot, cpuacctRoot }.SelectMany(Directory.EnumerateDirectories).Select(d => Path.GetFileName(d))
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Distinct()];
    }

    /// <summary>An existing group, to remove it (<see cref="Existing"/>).</summary>
    public static CpuGroup Open(string name)
    {
        var (cpuRoot, cpuacctRoot) = Roots();
        return new CpuGroup(name, Path.Combine(cpuRoot, name), Path.Combine(cpuacctRoot, name));
    }

    /// <summary>Limits the group to <paramref name="cores"/> cores (0.25 is a quarter of one) per <paramref name="period"/>; null lifts the limit.</summary>
    public void SetQuota(double? cores, TimeSpan period)
    {
        long periodUs = (long)period.TotalMicroseconds;
        File.WriteAllText(Path.Combine(_cpu, "cpu.cfs_period_us"), periodUs.ToString(CultureInfo.InvariantCulture));
        long quotaUs = cores is { } c ? (long)(c * periodUs) : -1;
        File.WriteAllText(Path.Combine(_cpu, "cpu.cfs_quota_us"), quotaUs.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>CPU time used by the group's processes since it was created (cpuacct.usage).</summary>
    public TimeSpan Usage => TimeSpan.FromTicks(long.Parse(File.ReadAllText(Path.Combine(_cpuacct, "cpuacct.usage")).Trim(), CultureInfo.InvariantCulture) / 100);

    /// <summary>How often the quota held the group back: CFS periods so far, those in which it was throttled, and for how long in all (cpu.stat).</summary>
    public CpuThrottling Throttling
    {
        get
        {
            var stat = File.ReadLines(Path.Combine(_cpu, "cpu.stat")).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
            return new CpuThrottling(stat["nr_periods"], stat["nr_throttled"], TimeSpan.FromTicks(stat["throttled_time"] / 100));
        }
    }

    /// <summary>Starts a command on <paramref name="host"/> inside this group, with <paramref name="environment"/> and the host's $HOME.</summary>
    public GatewayProcess Start(FleetHost host, IReadOnlyDictionary<string, string?> environment, params string[] command)
    {
        var join = Directories.Distinct().Select(d => Path.Combine(d, "cgroup.procs")).ToArray();
        return GatewayProcess.StartCommand("sh",
            ["-c", "for group in \"$@\"; do [ \"$group\" = -- ] && break; echo $$ > \"$group\"; shift; done; shift; exec \"$@\"", "sh",
             .. join, "--", "ip", "netns", "exec", host.Namespace, .. command],
            new Dictionary<string, string?>(environment) { ["HOME"] = host.Home });
    }

    /// <summary>Kills every process still in the group (SIGKILL), waits for them to go, removes the group. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        for (int wait = 0; wait < 100 && Pids() is { Length: > 0 } pids; wait++)
        {
            if (wait % 25 == 0)
            {
                await FleetNetwork.RunAsync(["kill", "-KILL", .. pids]);
            }
            await Task.Delay(100);
        }
        foreach (var directory in Directories.Distinct().Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(directory); // rmdir: a cgroup's files are not real files
            }
            catch (IOException)
            {
            }
        }
    }

    private string[] Directories => [_cpu, _cpuacct];

    private string[] Pids() => [.. Directories.Where(Directory.Exists).SelectMany(d => File.ReadLines(Path.Combine(d, "cgroup.procs"))).Distinct()];

    /// <summary>Where the cpu and cpuacct hierarchies are mounted (one directory when co-mounted as cpu,cpuacct).</summary>
    private static (string Cpu, string Cpuacct) Roots()
    {
        string? cpu = null, cpuacct = null;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var halves = line.Split(" - ");
            var after = halves[1].Split(' ');
            if (after[0] != "cgroup")
            {
                continue;
            }
            var controllers = after[2].Split(',');
            var mountPoint = halves[0].Split(' ')[4];
            cpu ??= controllers.Contains("cpu") ? mountPoint : null;
            cpuacct ??= controllers.Contains("cpuacct") ? mountPoint : null;
        }
        return cpu is not null && cpuacct is not null
            ? (cpu, cpuacct)
            : throw new InvalidOperationException("no cgroup v1 cpu and cpuacct controllers are mounted here (see /proc/self/mountinfo)");
    }
}
