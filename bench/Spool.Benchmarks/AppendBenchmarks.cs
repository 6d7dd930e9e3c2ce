using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Dispatcher.Spool;

namespace Pipeline.Spool.Benchmarks;

/// <summary>Group-commit append throughput for 4 KB messages against the same disk's raw sequential write rate with
/// the same flush cadence (a FileStream writing the same bytes, fsync after as many records as one spool flush held
/// on average), measured back to back in the same run.</summary>
internal static class AppendBenchmarks
{
    private const int BodyBytes = 4096;
    private const int Messages = 40_000;

    public static async Task RunAsync(string directory)
    {
        Console.WriteLine();
        Console.WriteLine($"## Append: {Messages:N0} messages of {BodyBytes} bytes, 64 MiB segments, flush interval 2 ms, batch 512");
        Console.WriteLine("| concurrent stores | spool MB/s | msgs/s | records per flush | raw FileStream MB/s, same cadence | spool / raw |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var messages = Enumerable.Range(0, Messages).Select(i => BenchMessages.Create(BodyBytes, $"r{i}@d{i % 100}.example")).ToArray();
        foreach (var concurrency in new[] { 32, 128, 512 })
        {
            var dir = Path.Combine(directory, $"c{concurrency}");
            var settings = new SpoolSettings(64L << 20, TimeSpan.FromMilliseconds(2), 512);
            var spool = Pipeline.Dispatcher.Spool.Spool.Open(dir, "mta1", settings, TimeProvider.System, NullLogger.Instance);
            var recordBytes = SpoolRecordCodec.MessageStoredLength(messages[0]) + SpoolSegment.RecordHeaderSize;
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < Messages; i = Interlocked.Increment(ref next))
                    await spool.StoreAsync(messages[i], CancellationToken.None);
            })));
            var elapsed = clock.Elapsed;
            var perFlush = (double)spool.FlushedRecords / spool.Flushes;
            await spool.DisposeAsync();
            Directory.Delete(dir, recursive: true);

            var spoolMBps = (double)recordBytes * Messages / elapsed.TotalSeconds / 1e6;
            var rawMBps = RawWrite(directory, recordBytes, Messages, (int)Math.Max(1, Math.Round(perFlush)));
            Console.WriteLine($"| {concurrency} | {spoolMBps:F0} | {Messages / elapsed.TotalSeconds:N0} | {perFlush:F1} | {rawMBps:F0} | {spoolMBps / rawMBps:P0} |");
        }
    }

    /// <summary>The disk's sequential write rate: records of the same size written one after another to a file of the
    /// same kind, fsync after every <paramref name="recordsPerFlush"/> records.</summary>
    private static double RawWrite(string directory, int recordBytes, int records, int recordsPerFlush)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "raw.dat");
        var record = new byte[recordBytes];
        Random.Shared.NextBytes(record);
        var clock = Stopwatch.StartNew();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            for (int i = 0; i < records; i++)
            {
                file.Write(record);
                if ((i + 1) % recordsPerFlush == 0) file.Flush(flushToDisk: true);
            }
            file.Flush(flushToDisk: true);
        }
        var elapsed = clock.Elapsed;
        File.Delete(path);
        return (double)recordBytes * records / elapsed.TotalSeconds / 1e6;
    }
}
