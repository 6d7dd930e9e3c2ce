using Pipeline.Spool.Benchmarks;

// bench/run-spool.sh runs this in Release. Arguments: [folder for the spool files] (default: a new folder under /var/tmp).
var root = args.Length > 0 ? args[0] : Path.Combine("/var/tmp", $"spool-bench-{Environment.ProcessId}");
Directory.CreateDirectory(root);
try
{
    Console.WriteLine($"# Spool benchmarks: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, files in {root}");
    var only = Environment.GetEnvironmentVariable("SPOOL_BENCH") ?? "append,index,recovery";
    if (only.Contains("append")) await AppendBenchmarks.RunAsync(Path.Combine(root, "append"));
    if (only.Contains("index")) IndexBenchmarks.Run();
    if (only.Contains("recovery")) await RecoveryBenchmarks.RunAsync(Path.Combine(root, "recovery"));
}
finally
{
    Directory.Delete(root, recursive: true);
}
