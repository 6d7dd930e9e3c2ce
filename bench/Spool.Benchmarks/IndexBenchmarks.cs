using System.Diagnostics;
using System.Runtime;
using Pipeline.Dispatcher.Spool;

namespace Pipeline.Spool.Benchmarks;

/// <summary>1,000,000 deferred recipients in the index: its memory, and the time to take the next due recipient.</summary>
internal static class IndexBenchmarks
{
    private const int Recipients = 1_000_000;
    private const int Domains = 1_000;
    private const int Picks = 200_000;

    /// <summary>Live managed bytes and resident bytes after a full, compacting collection that returns free memory
    /// to the system, so that neither counts garbage or the GC's reserve.</summary>
    private static (long Heap, long WorkingSet) Measure()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }

    public static void Run()
    {
        Console.WriteLine();
        Console.WriteLine($"## Index: {Recipients:N0} deferred recipients (one per message) over {Domains:N0} domains");
        var domainNames = Enumerable.Range(0, Domains).Select(d => $"domain{d}.example").ToArray();
        var random = new Random(42);
        var start = BenchMessages.Start.UtcTicks;

        var (before, workingSetBefore) = Measure();
        var index = new SpoolIndex();
        var ids = new int[Domains];
        for (int d = 0; d < Domains; d++) ids[d] = index.DomainOf(domainNames[d]);
        for (int i = 0; i < Recipients; i++)
        {
            var slot = index.AddMessage(Guid.NewGuid(), SpoolAddress.Of(1 + i / 10_000, 32 + i % 10_000 * 100), start, 1200, 1);
            // Deferred for up to 4 hours, as after a first refusal.
            var next = start + (long)(random.NextDouble() * TimeSpan.FromHours(4).Ticks);
            index.SetRecipient(slot, 0, ids[random.Next(Domains)], new RecipientStatus(RecipientState.Deferred, 1, next));
            index.Schedule(slot);
        }
        var (after, workingSetAfter) = Measure();
        Console.WriteLine($"- managed heap held by the index: {(after - before) / (double)Recipients:F0} bytes per recipient ({(after - before) / 1e6:F0} MB)");
        Console.WriteLine($"- process working set growth: {(workingSetAfter - workingSetBefore) / (double)Recipients:F0} bytes per recipient (after a compacting, decommitting collection)");

        // Take the next due recipient, then defer it again to a later time, so the queue keeps its size.
        var taken = new List<int>(1);
        var now = start + TimeSpan.FromHours(4).Ticks;
        var samples = new long[Picks];
        long total = 0;
        for (int i = 0; i < Picks; i++)
        {
            taken.Clear();
            var t0 = Stopwatch.GetTimestamp();
            index.TakeDue(now, 1, taken);
            var t1 = Stopwatch.GetTimestamp();
            samples[i] = t1 - t0;
            total += t1 - t0;
            if (taken.Count != 1) throw new InvalidOperationException("nothing due");
            index.Complete(taken[0], new RecipientStatus(RecipientState.Deferred, 2, now - random.Next(1, 1_000_000)), out _);
        }
        Array.Sort(samples);
        double Micro(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
        Console.WriteLine($"- next due recipient: mean {Micro(total) / Picks:F2} µs, median {Micro(samples[Picks / 2]):F2} µs, p99 {Micro(samples[Picks * 99 / 100]):F2} µs over {Picks:N0} picks");
        GC.KeepAlive(index);
    }
}
