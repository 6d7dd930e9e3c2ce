using BenchmarkDotNet.Running;
using Pipeline.Signer.Benchmarks;

// bench/run-signer.sh runs: dotnet run -c Release --project bench/Signer.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(MessageSignerBenchmarks).Assembly).Run(args);
