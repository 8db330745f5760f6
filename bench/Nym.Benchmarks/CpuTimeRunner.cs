using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace NymGateway.Nym.Benchmarks;

/// <summary>
/// Times a benchmark class's methods in this thread's CPU time, not wall time, for machines
/// shared with other work: a descheduled thread spends no CPU time, so the figures and their
/// ratios hold under load where BenchmarkDotNet's wall clock does not. Each figure is the
/// fastest of several rounds of about a quarter second each, per operation (OperationsPerInvoke).
/// Usage: <c>--cpu-time FinalHopStepBenchmarks [rounds]</c>.
/// </summary>
internal static class CpuTimeRunner
{
    private const int ClockThreadCpuTime = 3;
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(250);

    public static void Run(string className, int rounds)
    {
        var type = typeof(CpuTimeRunner).Assembly.GetTypes().Single(t => t.Name == className);
        var instance = Activator.CreateInstance(type)!;
        type.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<GlobalSetupAttribute>() != null)?.Invoke(instance, null);
        var methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() != null).ToList();
        var actions = methods.ToDictionary(m => m, m => CreateAction(instance, m));

        var best = methods.ToDictionary(m => m, _ => double.MaxValue);
        for (int round = 0; round <= rounds; round++)
        {
            foreach (var method in methods)
            {
                double ns = Measure(actions[method]) / method.GetCustomAttribute<BenchmarkAttribute>()!.OperationsPerInvoke;
                if (round > 0) // round 0 warms up: tiered JIT, caches
                {
                    best[method] = Math.Min(best[method], ns);
                }
            }
        }

        var baseline = methods.Single(m => m.GetCustomAttribute<BenchmarkAttribute>()!.Baseline);
        Console.WriteLine($"{className}: thread CPU time per call, fastest of {rounds} rounds; load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| step | µs | ratio |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var method in methods)
        {
            string name = method.GetCustomAttribute<BenchmarkAttribute>()!.Description ?? method.Name;
            Console.WriteLine($"| {name} | {best[method] / 1000:F2} | {best[method] / best[baseline]:F3} |");
        }
    }

    private static Action CreateAction(object instance, MethodInfo method)
    {
        var call = System.Linq.Expressions.Expression.Call(System.Linq.Expressions.Expression.Constant(instance), method);
        return System.Linq.Expressions.Expression.Lambda<Action>(call).Compile();
    }

    /// <summary>Nanoseconds of CPU time per call over about one round.</summary>
    private static double Measure(Action action)
    {
        long calls = 0;
        long start = ThreadCpuNanos();
        var wall = Stopwatch.StartNew();
        while (wall.Elapsed < Round || calls < 100)
        {
            for (int i = 0; i < 100; i++)
            {
                action();
            }
            calls += 100;
        }
        return (ThreadCpuNanos() - start) / (double)calls;
    }

    private static long ThreadCpuNanos()
    {
        if (clock_gettime(ClockThreadCpuTime, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc")]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
