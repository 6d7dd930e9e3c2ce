using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Spool;

namespace Pipeline.Spool.Benchmarks;

/// <summary>Group-commit append throughput for 4 KB messages against the same disk's raw sequential write rate with
/// the same flush cadence (a FileStream writing the same bytes, fsync after as many records as one spool flush held
/// on average), measured back to back in the same run.</summary>
internal static class AppendBenchmarks
{
    private const int BodyBytes = 4096;
    private const int Messages = 100_000;

    private const int Rounds = 3;

    public static async Task RunAsync(string directory)
    {
        Console.WriteLine();
        Console.WriteLine($"## Append: {Messages:N0} messages of {BodyBytes} bytes, 64 MiB segments, batch 512; median of {Rounds} rounds, spool and raw alternating");
        Console.WriteLine("| flush interval | concurrent stores | spool MB/s | msgs/s | records per flush | raw FileStream MB/s, same cadence | spool / raw |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var messages = Enumerable.Range(0, Messages).Select(i => BenchMessages.Create(BodyBytes, $"r{i}@d{i % 100}.example")).ToArray();
        var recordBytes = SpoolRecordCodec.MessageStoredLength(messages[0]) + SpoolSegment.RecordHeaderSize;
        // One round first that is not counted: the code runs tiered-up (optimised) in every measured round.
        await SpoolWriteAsync(Path.Combine(directory, "warm-up"), messages, recordBytes, TimeSpan.Zero, 128);
        foreach (var (interval, concurrency) in new[] { (0, 32), (0, 128), (0, 512), (2, 512), (2, 1024) })
        {
            var spoolRates = new List<double>();
            var rawRates = new List<double>();
            var perFlush = new List<double>();
            for (int round = 0; round < Rounds; round++)
            {
                var (rate, recordsPerFlush) = await SpoolWriteAsync(Path.Combine(directory, $"c{concurrency}"), messages, recordBytes,
                    TimeSpan.FromMilliseconds(interval), concurrency);
                spoolRates.Add(rate);
                perFlush.Add(recordsPerFlush);
                // The disk is shared and its speed drifts: the baseline runs right after, with the cadence just seen.
                rawRates.Add(RawWrite(directory, recordBytes, Messages, (int)Math.Max(1, Math.Round(recordsPerFlush))));
            }
            var spoolMBps = Median(spoolRates);
            var rawMBps = Median(rawRates);
            Console.WriteLine($"| {interval} ms | {concurrency} | {spoolMBps:F0} | {spoolMBps * 1e6 / recordBytes:N0} | {Median(perFlush):F1} | {rawMBps:F0} | {spoolMBps / rawMBps:P0} |");
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>Stores every message with <paramref name="concurrency"/> concurrent writers, each awaiting its flush as the
    /// dispatch-queue consumer does; returns MB/s and the records one flush held on average.</summary>
    private static async Task<(double MBps, double RecordsPerFlush)> SpoolWriteAsync(string dir, MessageSigned[] messages, int recordBytes,
        TimeSpan interval, int concurrency)
    {
        var spool = Pipeline.Dispatcher.Spool.Spool.Open(dir, "mta1", new SpoolSettings(64L << 20, interval, 512), TimeProvider.System, NullLogger.Instance);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < messages.Length; i = Interlocked.Increment(ref next))
                await spool.StoreAsync(messages[i], CancellationToken.None);
        })));
        var elapsed = clock.Elapsed;
        var perFlush = (double)spool.FlushedRecords / spool.Flushes;
        await spool.DisposeAsync();
        Directory.Delete(dir, recursive: true);
        return ((double)recordBytes * messages.Length / elapsed.TotalSeconds / 1e6, perFlush);
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
