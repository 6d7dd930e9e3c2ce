using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Dispatcher.Spool;

namespace Pipeline.Spool.Benchmarks;

/// <summary>Time to open a spool holding 1,000,000 queued messages: scan every segment, check every CRC, rebuild the
/// index. The files are in the page cache (written just before), as after a process crash; after a power cut the
/// disk's read rate adds to it.</summary>
internal static class RecoveryBenchmarks
{
    private const int Messages = 1_000_000;
    private const int BodyBytes = 1024;

    public static async Task RunAsync(string directory)
    {
        Console.WriteLine();
        Console.WriteLine($"## Recovery: {Messages:N0} queued messages of {BodyBytes} bytes, 3 recipients each over 500 domains");
        var settings = new SpoolSettings(64L << 20, TimeSpan.FromMilliseconds(10), 4096);
        var spool = Pipeline.Dispatcher.Spool.Spool.Open(directory, "mta1", settings, TimeProvider.System, NullLogger.Instance);
        var template = BenchMessages.Create(BodyBytes, "x@d0.example");
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 512).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Messages; i = Interlocked.Increment(ref next))
            {
                var message = template with
                {
                    MessageId = Guid.NewGuid(),
                    Recipients = [$"a{i}@d{i % 500}.example", $"b{i}@d{(i + 1) % 500}.example", $"c{i}@d{(i + 2) % 500}.example"],
                };
                await spool.StoreAsync(message, CancellationToken.None);
            }
        })));
        var writing = clock.Elapsed;
        await spool.DisposeAsync();
        var bytes = Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"- written in {writing.TotalSeconds:F1} s ({bytes / 1e9:F2} GB of segments)");

        GC.Collect();
        clock.Restart();
        var recovered = Pipeline.Dispatcher.Spool.Spool.Open(directory, "mta1", settings, TimeProvider.System, NullLogger.Instance);
        var elapsed = clock.Elapsed;
        var report = recovered.Recovery;
        Console.WriteLine($"- recovery: {elapsed.TotalSeconds:F2} s for {report.Messages:N0} messages, {report.Recipients:N0} recipients, {report.Records:N0} records in {report.Segments} segments");
        if (report.Messages != Messages) throw new InvalidOperationException($"recovered {report.Messages} messages, not {Messages}");
        await recovered.DisposeAsync();
    }
}
