using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Pipeline.Signer.Benchmarks;

/// <summary>One process per benchmark, enough warm-up for tiered compilation to settle (a ShortRun's three warm-up
/// iterations measured partly unoptimized code), ten measured iterations: about ten seconds per case.</summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig() =>
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(8).WithIterationCount(10).WithId("Signer"));
}
