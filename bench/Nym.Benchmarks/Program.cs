using BenchmarkDotNet.Running;

if (args is ["--cpu-time", var className, ..])
{
    NymGateway.Nym.Benchmarks.CpuTimeRunner.Run(className, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(NymGateway.Nym.Benchmarks.SphinxBenchmarks).Assembly).Run(args);
