using BenchmarkDotNet.Running;

// bench/run-bounce.sh runs these; arguments go to BenchmarkDotNet (e.g. --filter *Reply*).
BenchmarkSwitcher.FromAssembly(typeof(Pipeline.BounceProcessor.Benchmarks.ReplyClassifierBenchmarks).Assembly).Run(args);
