using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(NymGateway.Nym.Benchmarks.SphinxBenchmarks).Assembly).Run(args);
